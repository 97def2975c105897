/** Saves text produced by the server (an extract, an export) as a file, without leaving the page. */
export function downloadText(filename: string, mimeType: string, content: string): void {
	const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
