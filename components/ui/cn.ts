/** Joins class names, skipping falsy ones: `cn("px-2", isActive && "font-semibold")`. */
export function cn(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}
