import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarkdownView } from "./markdown-view";
import { isWebAddress } from "./remark-link-targets";

// The rendered HTML of a draft, as the run page shows it (the component is pure: no hooks, no data).
function render(text: string): string {
  return renderToStaticMarkup(createElement(MarkdownView, { text }));
}

/** What a reader sees (tags dropped, screen-reader-only words kept), with whitespace collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<[^<>]*>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

describe("MarkdownView links", () => {
  it("shows a link's text followed by where it goes, and makes no link to follow", () => {
    const html = render("Read the [setup guide](https://example.com/docs/setup?step=1) first.");
    expect(html).not.toContain("<a");
    expect(html).not.toContain("href");
    expect(visibleText(html)).toBe("Read the setup guide (links to https://example.com/docs/setup?step=1) first.");
    expect(html).toMatch(
      /<span class="[^"]*font-mono[^"]*"><span class="sr-only">\(links to <\/span>https:\/\/example\.com\/docs\/setup\?step=1<span class="sr-only">\)<\/span><\/span>/,
    );
  });

  it("shows an image as its description and address, and loads nothing", () => {
    const html = render(
      "Look: ![the new grinder](https://cdn.example/grinder.png) and ![][logo]\n\n[logo]: https://tracker.example/pixel.gif",
    );
    expect(html).not.toContain("<img");
    expect(visibleText(html)).toBe(
      "Look: [image: the new grinder] (links to https://cdn.example/grinder.png) and [image] (links to https://tracker.example/pixel.gif)",
    );
  });

  it("shows the real target of a link whose text names another address", () => {
    expect(visibleText(render("[https://bank.example](https://attacker.example/login)"))).toBe(
      "https://bank.example (links to https://attacker.example/login)",
    );
  });

  it("shows an address once when the link text is the address", () => {
    expect(visibleText(render("See <https://example.com/status>."))).toBe("See (links to https://example.com/status).");
    expect(visibleText(render("See www.example.com today."))).toBe("See (links to http://www.example.com) today.");
    expect(visibleText(render("Write to help@example.com."))).toBe("Write to (links to mailto:help@example.com).");
  });

  it("shows the target of a reference link from its definition", () => {
    const html = render("Read [the guide][guide].\n\n[guide]: https://example.com/guide");
    expect(visibleText(html)).toBe("Read the guide (links to https://example.com/guide).");
    expect(html).not.toContain("<a");
  });

  it("shows a javascript: target as inert text instead of dropping it", () => {
    const html = render("[Click me](javascript:alert(document.cookie)) and [this](JaVaScRiPt:alert(1) 'title')");
    expect(html).not.toContain("<a");
    expect(html).not.toContain("href");
    expect(visibleText(html)).toBe(
      "Click me (links to javascript:alert(document.cookie)) not a web address and this (links to JaVaScRiPt:alert(1)) not a web address",
    );
  });

  it("flags targets that are not web addresses, however they are spelled", () => {
    for (const url of [
      "https://example.com",
      "http://x",
      "mailto:a@example.com",
      "/docs/setup",
      "#top",
      "docs/setup",
      "?q=1",
    ])
      expect(isWebAddress(url), url).toBe(true);
    for (const url of [
      "javascript:alert(1)",
      "JAVASCRIPT:x",
      "java\tscript:x",
      "java\nscript:x",
      " \u0001javascript:x",
      "data:text/html,x",
      "vbscript:x",
      "file:///etc/passwd",
    ]) {
      expect(isWebAddress(url), JSON.stringify(url)).toBe(false);
    }
  });

  it("keeps raw HTML anchors as literal text", () => {
    const html = render('<a href="https://evil.example" onclick="steal()">x</a>');
    expect(html).not.toContain("<a ");
    expect(html).toContain("&lt;a href=&quot;https://evil.example&quot;");
  });

  it("keeps only in-page anchors (footnote references), and shows the targets of links inside footnotes", () => {
    const html = render("Text[^1] and a `code` span.\n\n[^1]: A [note](https://example.com/n).");
    expect(visibleText(html)).toContain("A note (links to https://example.com/n).");
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.every((href) => href?.startsWith("#"))).toBe(true);
  });
});
