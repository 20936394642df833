"use client";

import type { Person, Role } from "@/lib/queries";
import { PersonRow, type ManagePersonAction } from "./person-row";

export interface PeopleTableProps {
  people: Person[];
  /** The signed-in admin: their own row has no Deactivate button. */
  currentUserId: string | null;
  roles: readonly Role[];
  action: ManagePersonAction;
  onChanged: () => void;
}

/** Everyone in the workspace, one row each; on narrow screens the rows stack into blocks. */
export function PeopleTable({ people, currentUserId, roles, action, onChanged }: PeopleTableProps) {
  return (
    <table className="w-full border-collapse text-sm max-sm:block">
      <caption className="sr-only">People in this workspace</caption>
      <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-semibold whitespace-nowrap uppercase tracking-wide text-slate-600 max-sm:sr-only">
        <tr>
          <th scope="col" className="px-4 py-2">
            Person
          </th>
          <th scope="col" className="px-4 py-2">
            Role
          </th>
          <th scope="col" className="px-4 py-2">
            Signs in with
          </th>
          <th scope="col" className="px-4 py-2">
            Status
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-200 max-sm:block">
        {people.map((person) => (
          <PersonRow
            key={person.userId}
            person={person}
            isSelf={person.userId === currentUserId}
            roles={roles}
            action={action}
            onChanged={onChanged}
          />
        ))}
      </tbody>
    </table>
  );
}
