"""An outside MCP host: runs `vibe mcp` as a subprocess and talks to it over stdio with the `mcp` Python package.

    python3 mcp_client.py VIBE SESSION [vibe args...]

Prints one JSON object with what it saw (the shell suite asserts on it); exits 1 if the session itself failed.
"""
import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def text(result):
    return "".join(part.text for part in result.content if getattr(part, "type", "") == "text")


async def main(vibe, session, extra):
    params = StdioServerParameters(command=vibe, args=["mcp", "--session", session, *extra])
    seen = {}
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as client:
            info = await client.initialize()
            seen["server"] = info.server_info.name
            tools = await client.list_tools()
            seen["tools"] = sorted(tool.name for tool in tools.tools)
            ensured = await client.call_tool("session_ensure", {})
            seen["ensure"] = text(ensured)
            await client.call_tool("fs_write", {"path": "notes/todo.md", "content": "- a\n- b\n- a\n"})
            ambiguous = await client.call_tool("fs_edit", {"path": "notes/todo.md", "old": "- a", "new": "- c"})
            seen["ambiguous"] = {"isError": ambiguous.is_error, "structured": ambiguous.structured_content}
            edited = await client.call_tool(
                "fs_edit", {"path": "notes/todo.md", "old": "- b", "new": "- B"})
            seen["diff"] = text(edited)
            executed = await client.call_tool("shell_exec", {"command": "cat notes/todo.md | wc -l"})
            seen["exec"] = text(executed)
            grep = await client.call_tool("fs_grep", {"pattern": "^- [AB]$", "ignoreCase": False})
            seen["grep"] = text(grep)
            outside = await client.call_tool("fs_read", {"path": "../../../etc/passwd"})
            seen["outside"] = {"isError": outside.is_error, "text": text(outside)}
    print(json.dumps(seen))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
