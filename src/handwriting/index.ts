// Public surface of src/handwriting (filled in by its issue).
export {};
