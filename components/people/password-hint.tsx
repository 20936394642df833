/** What a new password must be, in the words the server's checks use. */
export function PasswordHint({ minLength }: { minLength: number }) {
  return (
    <>
      At least {minLength} characters and hard to guess. A few unrelated words work well, like “kettle orbit violet
      harbor”.
    </>
  );
}
