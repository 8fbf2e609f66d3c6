"""The front every interface talks to (the service) and what all stages share: typed records, settings, errors."""
