import type { Metadata } from "next";

export const metadata: Metadata = { title: "New brief" };

export default function NewBriefPage() {
  return <h1 className="text-2xl font-semibold">New brief</h1>;
}
