"""Retrieval: embedders by name, the lexical index, the FAISS store, the plan's vocabulary and the hybrid retriever."""
