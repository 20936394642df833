import type { ComponentProps } from "react";
import ReactMarkdown from "react-markdown";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { cn } from "@/components/ui/cn";
import { remarkHtmlAsText } from "./remark-html-as-text";
import { isWebAddress, LINK_CLASS, LINK_TARGET_CLASS, remarkLinkTargets } from "./remark-link-targets";

/** GitHub's sanitize schema, plus the two class names remarkLinkTargets gives its spans (and nothing else). */
const sanitizeSchema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    span: [...(defaultSchema.attributes?.span ?? []), ["className", LINK_CLASS, LINK_TARGET_CLASS]],
  },
};

/**
 * Draft and published text as markdown, rendered inert: raw HTML in the text is shown as literal text (and
 * `skipHtml` drops anything that slipped through), the tree is sanitized, images become their description and
 * address so a draft cannot load anything, and links are not links: each shows its text and, beside it, where it
 * goes (remarkLinkTargets), so a reviewer sees every address before approving and cannot follow one by accident.
 */
export function MarkdownView({ text, className }: { text: string; className?: string }) {
  return (
    <div
      className={cn(
        "space-y-3 break-words text-[0.95rem] leading-relaxed text-slate-900",
        "[&_a]:text-sky-800 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_h1]:text-xl [&_h1]:font-semibold [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:font-semibold",
        "[&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_ol]:list-decimal [&_ol]:pl-6 [&_ul]:list-disc [&_ul]:pl-6 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-slate-100 [&_pre]:p-3",
        className,
      )}
    >
      <ReactMarkdown
        skipHtml
        remarkPlugins={[remarkGfm, remarkHtmlAsText, remarkLinkTargets]}
        rehypePlugins={[[rehypeSanitize, sanitizeSchema]]}
        disallowedElements={["img"]}
        unwrapDisallowed
        components={{ span: MarkdownSpan }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}

/** Spans in rendered markdown: only remarkLinkTargets makes them (raw HTML never becomes elements). */
function MarkdownSpan({ node: _node, className, children, ...props }: ComponentProps<"span"> & { node?: unknown }) {
  if (className === LINK_TARGET_CLASS) return <LinkTarget target={typeof children === "string" ? children : ""} />;
  if (className === LINK_CLASS)
    return <span className="text-sky-800 underline decoration-dotted underline-offset-2">{children}</span>;
  return (
    <span className={className} {...props}>
      {children}
    </span>
  );
}

/** Where a link goes, as a small monospaced badge (one click selects it for copying); odd schemes are flagged in words. */
function LinkTarget({ target }: { target: string }) {
  const isWeb = isWebAddress(target);
  return (
    <>
      <span
        className={cn(
          "inline rounded border px-1 py-px font-mono text-[0.8em] [overflow-wrap:anywhere] select-all",
          isWeb ? "border-slate-300 bg-slate-50 text-slate-700" : "border-rose-300 bg-rose-50 text-rose-900",
        )}
      >
        <span className="sr-only">(links to </span>
        {target}
        <span className="sr-only">)</span>
      </span>
      {isWeb ? null : <span className="ml-1 text-xs font-semibold text-rose-800"> not a web address</span>}
    </>
  );
}
