"""Sổ tay: turns YAML study content into Markdown that MkDocs + Material builds into a handbook site."""
