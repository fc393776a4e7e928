export function csvRows(path: string): Array<Record<string, string>>;
