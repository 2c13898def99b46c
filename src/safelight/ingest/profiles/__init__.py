"""Site profiles (data): one YAML file per page layout, read by ``safelight.ingest.profiles``.

This folder is a package only so the YAML files ship inside the wheel; it holds no code.
"""
