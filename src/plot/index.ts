// Public surface of src/plot (filled in by its issue).
export {};
