import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import type { Role } from "@/lib/queries";

/** What a non-admin sees on an admin's notification page: why not, and where their own choices are. */
export function AdminsOnlyNotice({ title, role }: { title: string; role: Role }) {
  return (
    <Alert tone="warning" title={title}>
      You are signed in as {role === "reviewer" ? "a" : "an"} {role}. What you are emailed about is yours to choose on{" "}
      <Link href="/settings#notifications" className="font-medium text-sky-800 underline">
        Settings, under Notifications
      </Link>
      .
    </Alert>
  );
}
