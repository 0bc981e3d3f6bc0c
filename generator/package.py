"""Pack a built site into one zip for whoever hosts it: the site, a manifest, a note in Vietnamese.

The zip holds the site under `so-tay/` (the folder to put on a web server or a USB stick), beside it
`SHA256SUMS` (checked with `sha256sum -c SHA256SUMS`), `manifest.json` (the same sums with sizes,
for tools) and `HUONG-DAN-TRIEN-KHAI.txt` (how to host, open and verify it). The same site gives the
same bytes: entries sorted, one timestamp (SOURCE_DATE_EPOCH, else 1980-01-01), fixed permissions,
and no date or path of the machine in any name or note.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SITE_FOLDER = "so-tay"
SUMS_NAME = "SHA256SUMS"
MANIFEST_NAME = "manifest.json"
NOTE_NAME = "HUONG-DAN-TRIEN-KHAI.txt"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
STORED_SUFFIXES = {".gz", ".png", ".jpg", ".jpeg", ".woff", ".woff2", ".zip"}  # already compressed


@dataclass(frozen=True)
class ManifestEntry:
    path: str  # relative, with '/'
    size: int
    sha256: str


@dataclass(frozen=True)
class PackageReport:
    output: Path
    files: int
    site_bytes: int
    zip_bytes: int


class PackageError(Exception):
    """The site folder cannot be packed as it is (missing, not built, holds links)."""


def site_manifest(root: Path) -> list[ManifestEntry]:
    """Size and sha256 of every file under root, sorted by path. Links are refused: a site that
    points outside itself would carry other files into the package."""
    entries = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                raise PackageError(f"{path} is not a regular file (a link?); the site must hold only files")
            if "\n" in relative or "\\" in relative:
                raise PackageError(f"{path}: a file name with a line break or backslash cannot be listed")
            entries.append(ManifestEntry(relative, info.st_size, _sha256(path)))
    return sorted(entries, key=lambda entry: entry.path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sums_text(entries: list[ManifestEntry]) -> str:
    """The sha256sum format: '<hex>  <path>' per line."""
    return "".join(f"{entry.sha256}  {entry.path}\n" for entry in entries)


def manifest_json(entries: list[ManifestEntry]) -> str:
    files = [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in entries]
    data = {"site": SITE_FOLDER + "/", "files": len(files), "bytes": sum(e.size for e in entries),
            "algorithm": "sha256", "entries": files}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def zip_time(stamp: datetime | None) -> tuple[int, int, int, int, int, int]:
    """The one timestamp of every entry: the build moment when SOURCE_DATE_EPOCH gives one."""
    if stamp is None or stamp.year < 1980:
        return ZIP_EPOCH
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second - stamp.second % 2)


def write_package(site_dir: Path, output: Path, stamp: datetime | None) -> PackageReport:
    """Write the zip of site_dir to output, through a temporary file so no half zip is ever left."""
    if not (site_dir / "index.html").is_file():
        raise PackageError(f"no built site at {site_dir} (no index.html): run 'sotay build' first")
    site_entries = site_manifest(site_dir)
    note = deployment_note(len(site_entries), sum(e.size for e in site_entries))
    note_bytes = note.replace("\n", "\r\n").encode("utf-8-sig")  # Notepad on old Windows reads it right
    listed = [ManifestEntry(f"{SITE_FOLDER}/{e.path}", e.size, e.sha256) for e in site_entries]
    listed.append(ManifestEntry(NOTE_NAME, len(note_bytes), hashlib.sha256(note_bytes).hexdigest()))
    listed.sort(key=lambda entry: entry.path)
    when = zip_time(stamp)
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.tmp-{os.getpid()}")
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            extra = {NOTE_NAME: note_bytes, SUMS_NAME: sums_text(listed).encode("utf-8"),
                     MANIFEST_NAME: manifest_json(listed).encode("utf-8")}
            names = sorted([e.path for e in listed] + [SUMS_NAME, MANIFEST_NAME])
            for name in names:
                data = extra[name] if name in extra else (site_dir / name[len(SITE_FOLDER) + 1:]).read_bytes()
                info = _entry(name, when)
                level = 9 if info.compress_type == zipfile.ZIP_DEFLATED else None
                archive.writestr(info, data, compresslevel=level)  # one level: bytes do not follow a default
        os.replace(temporary, output)
    finally:
        if temporary.exists():
            temporary.unlink()
    return PackageReport(output, len(site_entries), sum(e.size for e in site_entries), output.stat().st_size)


def _entry(name: str, when: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.create_system = 3  # Unix, so that the permissions below are read by unzip
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    stored = Path(name).suffix.lower() in STORED_SUFFIXES
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def deployment_note(files: int, size: int) -> str:
    """The note for whoever hosts the handbook, in Vietnamese (they are not developers)."""
    megabytes = f"{size / 1_000_000:.1f}".replace(".", ",")
    contents = [(f"{SITE_FOLDER}/", f"toàn bộ trang sổ tay ({files} tệp, {megabytes} MB)"),
                (NOTE_NAME, "tệp hướng dẫn này"),
                (SUMS_NAME, "mã kiểm tra (SHA-256) của từng tệp"),
                (MANIFEST_NAME, "danh sách tệp, kích thước và mã kiểm tra (cho phần mềm đọc)")]
    width = max(len(name) for name, _ in contents) + 2
    listing = "\n".join(f"  {name.ljust(width)}{what}" for name, what in contents)
    return f"""SỔ TAY SINH HOẠT CHÍNH TRỊ — HƯỚNG DẪN ĐƯA LÊN MẠNG NỘI BỘ HOẶC CHÉP VÀO USB

Gói này gồm:
{listing}

Trang sổ tay không tải gì từ Internet: dùng được trên mạng nội bộ khép kín, trên máy không nối
mạng và từ USB.

1. MỞ TỪ USB HOẶC TỪ MÁY TÍNH (KHÔNG CẦN MÁY CHỦ, KHÔNG CẦN MẠNG)
   - Giải nén gói (bấm chuột phải vào tệp .zip, chọn "Extract All..." / "Giải nén tất cả").
   - Chép nguyên thư mục {SITE_FOLDER} vào USB hoặc vào máy.
   - Mở thư mục {SITE_FOLDER}, bấm đúp vào tệp index.html: trang mở trong trình duyệt (Chrome,
     Edge, Firefox, Cốc Cốc). Chuyển trang, tìm kiếm và in đều dùng được.
   - Giữ nguyên thư mục: không đổi tên, không xóa, không tách riêng tệp nào bên trong {SITE_FOLDER},
     vì các trang liên kết với nhau theo vị trí tệp.

2. ĐƯA LÊN MÁY CHỦ WEB NỘI BỘ
   - Chép nguyên thư mục {SITE_FOLDER} vào thư mục web của máy chủ, ví dụ /var/www/html/{SITE_FOLDER}
     (Linux) hoặc C:\\inetpub\\wwwroot\\{SITE_FOLDER} (Windows, IIS). Địa chỉ trang khi đó là
     http://<tên máy chủ>/{SITE_FOLDER}/
   - Đặt ở thư mục gốc hay ở bất kỳ đường dẫn con nào cũng được; không phải sửa tệp nào.
   - Máy chủ cần: mở index.html khi truy cập thư mục; gửi đúng kiểu tệp (MIME) cho .html, .css,
     .js, .json, .ics, .pdf, .svg, .woff2; bảng mã UTF-8. Máy chủ thường đã đúng sẵn, trừ .ics
     (lịch) và đôi khi .json (tìm kiếm) trên IIS cũ.
   - Cán bộ kỹ thuật: cấu hình mẫu cho nginx, Apache và IIS ở mục "Deployment" trong README.md
     của phần mềm Sổ tay.

3. KIỂM TRA GÓI CÒN NGUYÊN VẸN (NÊN LÀM SAU MỖI LẦN CHÉP)
   Mở cửa sổ dòng lệnh ngay trong thư mục chứa tệp hướng dẫn này rồi chạy:
   - Linux:   sha256sum -c {SUMS_NAME}
   - macOS:   shasum -a 256 -c {SUMS_NAME}
   Mọi dòng phải báo OK. Dòng nào báo FAILED (hỏng) hoặc thiếu tệp thì chép lại gói từ bản gốc.
   - Windows (PowerShell), cũng trong thư mục này:
       Get-Content {SUMS_NAME} | ForEach-Object {{ $h, $f = $_ -split '  ', 2; if ((Get-FileHash $f).Hash -ne $h) {{ "HONG: $f" }} }}
     Không in ra dòng nào là gói nguyên vẹn.

4. CẬP NHẬT BẢN MỚI
   Xóa thư mục {SITE_FOLDER} cũ rồi chép thư mục {SITE_FOLDER} của gói mới vào. Không chép đè bản mới
   lên bản cũ: tệp cũ còn sót lại sẽ lẫn vào trang.
"""
