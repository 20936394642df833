import type { Metadata } from "next";

export const metadata: Metadata = { title: "Inbox" };

export default function ReviewsPage() {
  return <h1 className="text-2xl font-semibold">Review inbox</h1>;
}
