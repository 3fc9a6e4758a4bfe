"""The web chat (Gradio). Placeholder until the web app lands: prints the outline."""

from assistant.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["outline"]))
