// Public surface of src/sk (filled in by its issue).
export {};
