// Public surface of src/nd (filled in by its issue).
export {};
