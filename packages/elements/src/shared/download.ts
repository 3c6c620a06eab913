/** Saves a file the server answered (an export, a report) as a download named `name`. */
export async function saveDownload(response: Response, name: string, type: string): Promise<void> {
  const blob = await response.blob();
  const url = URL.createObjectURL(new Blob([blob], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the file after the click; the URL is kept a while for it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
