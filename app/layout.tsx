import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Draftgate", template: "%s · Draftgate" },
  description: "Workflow runs with durable checkpoints and human review.",
};

const navLinks = [
  { href: "/reviews", label: "Inbox" },
  { href: "/runs", label: "Runs" },
  { href: "/runs/new", label: "New brief" },
] as const;

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3">
            <Link href="/reviews" className="text-lg font-semibold tracking-tight">
              Draftgate
            </Link>
            <ul className="flex gap-4 text-sm">
              {navLinks.map((link) => (
                <li key={link.href}>
                  <Link href={link.href} className="text-slate-600 hover:text-slate-900 hover:underline">
                    {link.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
      </body>
    </html>
  );
}
