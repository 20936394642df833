import ReactMarkdown from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { cn } from "@/components/ui/cn";
import { remarkHtmlAsText } from "./remark-html-as-text";

/**
 * Draft and published text as markdown, rendered inert: raw HTML in the text is shown as literal text (and
 * `skipHtml` drops anything that slipped through), the tree is sanitized, and images are unwrapped to their alt
 * text so a draft cannot load anything.
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
      <ReactMarkdown skipHtml remarkPlugins={[remarkGfm, remarkHtmlAsText]} rehypePlugins={[rehypeSanitize]} disallowedElements={["img"]} unwrapDisallowed>
        {text}
      </ReactMarkdown>
    </div>
  );
}
