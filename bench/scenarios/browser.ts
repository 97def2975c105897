export async function benchBrowser(_o: unknown) {}
