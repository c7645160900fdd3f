"""Renders one template of a folder with Python's Jinja2, as fastapi-mail loads them
(FileSystemLoader) but escaping only HTML templates (mailconf's rule: select_autoescape for
html/htm/xml) and with StrictUndefined (mailconf refuses a missing variable). The data is JSON
on stdin; fastapi-mail's rule: an object's keys are the variables, a list is `body`.
Prints {"output": ..., "subject": ...} (the `subject` block, or null) as JSON."""
import json
import sys

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

folder, name = sys.argv[1], sys.argv[2]
data = json.loads(sys.stdin.read())
env = Environment(
    loader=FileSystemLoader(folder),
    autoescape=select_autoescape(["html", "htm", "xml"]),
    undefined=StrictUndefined,
)
template = env.get_template(name)
context = {"body": data} if isinstance(data, list) else data
out = {"output": template.render(**context), "subject": None}
# The block as the final template sees it: its own, or the one it inherits.
for candidate in [template] + [env.get_template(n) for n in sys.argv[3:]]:
    if "subject" in candidate.blocks:
        out["subject"] = "".join(candidate.blocks["subject"](template.new_context(context)))
        break
print(json.dumps(out, ensure_ascii=False))
