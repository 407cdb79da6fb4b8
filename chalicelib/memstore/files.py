"""The files port in memory: objects in a dict, URLs that name them (memory://bucket/key?...)."""

from __future__ import annotations

from chalicelib.ports.files import PresignedPost


class MemoryFiles:
    def __init__(self, state) -> None:
        self._objects: dict[str, bytes] = state.collection("files")

    def upload_form(self, key: str, size: int, expires_s: int) -> PresignedPost:
        return PresignedPost("memory://firmware", {"key": key, "content-length-range": f"{size},{size}", "expires": str(expires_s)})

    def upload_url(self, key: str, expires_s: int) -> str:
        return f"memory://firmware/{key}?method=PUT&expires={expires_s}"

    def download_url(self, key: str, expires_s: int, file_name: str | None = None) -> str:
        return f"memory://firmware/{key}?method=GET&expires={expires_s}" + (f"&name={file_name}" if file_name else "")

    def size(self, key: str) -> int | None:
        found = self._objects.get(key)
        return None if found is None else len(found)

    def put(self, key: str, data: bytes) -> None:
        """What an upload through one of the URLs does (tests)."""
        self._objects[key] = data


def build(state) -> MemoryFiles:
    return MemoryFiles(state)
