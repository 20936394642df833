interface MarkdownNode {
  type: string;
  value?: string;
  url?: string;
  alt?: string;
  identifier?: string;
  children?: MarkdownNode[];
  data?: Record<string, unknown>;
}

/** The class names this plugin gives its elements (the sanitize schema in markdown-view.tsx lets exactly these through). */
export const LINK_CLASS = "draft-link";
export const LINK_TARGET_CLASS = "draft-link-target";

/**
 * A remark plugin that turns every link in a draft into text a reviewer can read before approving: the link's
 * own text, followed by where it goes (the target exactly as written, even one the renderer would never make
 * clickable, such as `javascript:`). Links stop being links: nothing in a draft can be followed by accident, and
 * a link whose text names one address but points at another shows both. A link whose text is its address (an
 * autolink) shows the address once.
 *
 * Inline links, autolinks (`<https://…>`, and GFM's bare `www.…` and e-mail addresses) and reference links
 * (`[text][ref]` with `[ref]: https://…`) are all covered. Images become `[image: alt]` and their address, the
 * same way: nothing in a draft is loaded, and what would be is visible.
 */
export function remarkLinkTargets() {
  return (tree: MarkdownNode) => {
    const definitions = new Map<string, string>();
    collectDefinitions(tree, definitions);
    replaceLinks(tree, definitions);
  };
}

function collectDefinitions(node: MarkdownNode, definitions: Map<string, string>): void {
  // the first definition of a label wins, as in CommonMark
  if (node.type === "definition" && node.identifier !== undefined && !definitions.has(node.identifier))
    definitions.set(node.identifier, node.url ?? "");
  node.children?.forEach((child) => collectDefinitions(child, definitions));
}

function replaceLinks(node: MarkdownNode, definitions: Map<string, string>): void {
  if (!node.children) return;
  node.children = node.children.flatMap((child) => {
    replaceLinks(child, definitions);
    if (child.type === "link") return linkWithTarget(child, child.url ?? "");
    if (child.type === "linkReference") {
      const url = child.identifier === undefined ? undefined : definitions.get(child.identifier);
      return url === undefined ? (child.children ?? []) : linkWithTarget(child, url);
    }
    // an image is never loaded: it reads as its description and where it would come from
    if (child.type === "image") return imageAsText(child, child.url ?? "");
    if (child.type === "imageReference") {
      const url = child.identifier === undefined ? undefined : definitions.get(child.identifier);
      return url === undefined ? [{ type: "text", value: imageLabel(child) }] : imageAsText(child, url);
    }
    return [child];
  });
}

function targetOf(url: string): MarkdownNode {
  return {
    type: "draftLinkTarget",
    data: { hName: "span", hProperties: { className: [LINK_TARGET_CLASS] }, hChildren: [{ type: "text", value: url }] },
  };
}

function linkWithTarget(link: MarkdownNode, url: string): MarkdownNode[] {
  const target = targetOf(url);
  if (isTextTheTarget(textOf(link).trim(), url)) return [target];
  return [
    {
      type: "draftLink",
      children: link.children ?? [],
      data: { hName: "span", hProperties: { className: [LINK_CLASS] } },
    },
    { type: "text", value: " " },
    target,
  ];
}

function imageAsText(image: MarkdownNode, url: string): MarkdownNode[] {
  return [{ type: "text", value: `${imageLabel(image)} ` }, targetOf(url)];
}

function imageLabel(image: MarkdownNode): string {
  return image.alt?.trim() ? `[image: ${image.alt.trim()}]` : "[image]";
}

/** The link says where it goes already: an autolink, or GFM's `www.…` and `name@host` literals (stored with the scheme added). */
function isTextTheTarget(text: string, url: string): boolean {
  return text === "" || text === url || `http://${text}` === url || `mailto:${text}` === url;
}

function textOf(node: MarkdownNode): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value ?? "";
  if (node.type === "image" || node.type === "imageReference") return node.alt ?? "";
  return (node.children ?? []).map(textOf).join("");
}

/**
 * Whether a link target is an ordinary address (http, https, mailto, or relative): anything else, such as
 * `javascript:` or `data:`, is flagged to the reviewer. Tabs and line breaks are ignored and leading spaces and
 * control characters trimmed first, as a browser's URL parser does (`java\tscript:` is still `javascript:`).
 */
export function isWebAddress(url: string): boolean {
  let cleaned = url.replace(/[\t\n\r]/g, "");
  let start = 0;
  while (start < cleaned.length && cleaned.charCodeAt(start) <= 0x20) start++;
  cleaned = cleaned.slice(start);
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === "http" || scheme === "https" || scheme === "mailto";
}
