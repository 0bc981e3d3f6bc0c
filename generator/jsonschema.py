"""JSON Schemas of the content files, for authors' editors (VS Code with the YAML extension).

The editor then completes field names and flags mistakes while typing. The schemas describe what
the YAML reader accepts: dates as 16/12/2024 or 2024-12-16, choices by value or Vietnamese label.
"""

from __future__ import annotations

import json

from . import content, schema

FILES = {
    "handbook": (schema.Handbook, "handbook.yml"),
    "glossary": (schema.GlossaryFile, "glossary.yml"),
    "document": (schema.Document, "documents/*.yml"),
    "campaign": (schema.Campaign, "campaigns/*/campaign.yml"),
    "orientations": (schema.OrientationsFile, "campaigns/*/orientations.yml"),
    "themes": (schema.ThemesFile, "campaigns/*/themes.yml"),
    "readings": (schema.ReadingsFile, "campaigns/*/readings.yml"),
    "month": (schema.StudyGuide, "campaigns/*/months/*.yml"),
}
assert {f"campaigns/*/{name}" for name in content.CAMPAIGN_FILES} <= {glob for _, glob in FILES.values()}


def content_schemas() -> dict[str, str]:
    """File name → JSON text of each schema, deterministic."""
    out = {}
    for name, (model, _) in FILES.items():
        document = model.model_json_schema(mode="validation")
        document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        document["title"] = f"Sổ tay: {name}"
        out[f"{name}.schema.json"] = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def vscode_settings(schema_dir: str) -> str:
    """The `yaml.schemas` setting that maps each content file to its schema."""
    mapping = {f"{schema_dir}/{name}.schema.json": f"content/{glob}" for name, (_, glob) in FILES.items()}
    return json.dumps({"yaml.schemas": mapping}, ensure_ascii=False, indent=2) + "\n"
