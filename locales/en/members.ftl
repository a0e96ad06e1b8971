# Messages of quiet days, reports, forgetting and suggestions.
