"""Vietnamese text knowledge: normalisation, cleaning, numbers, dates, periods, places."""
