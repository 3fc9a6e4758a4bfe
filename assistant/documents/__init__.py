"""Documents: their formats, the generic tree parser, refs, chunks, targets and the library that holds them."""
