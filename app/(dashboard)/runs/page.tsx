import type { Metadata } from "next";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return <h1 className="text-2xl font-semibold">Runs</h1>;
}
