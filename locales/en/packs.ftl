# Messages of the packs, prompts, curation and archive commands.
