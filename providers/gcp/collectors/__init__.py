"""One module per Google API family; each declares its collections."""
