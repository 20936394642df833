interface MarkdownNode {
  type: string;
  value?: string;
  children?: MarkdownNode[];
}

/**
 * A remark plugin that turns raw HTML in markdown into plain text, so `<script>` in a draft is shown to the
 * reviewer as the characters it is (what would be published) instead of being run or silently dropped.
 */
export function remarkHtmlAsText() {
  return (tree: MarkdownNode) => {
    const walk = (node: MarkdownNode) => {
      if (node.type === "html") node.type = "text";
      node.children?.forEach(walk);
    };
    walk(tree);
  };
}
