"""A recipe's photo: checked to be a real image, re-encoded (which drops whatever else the file
carried, location included) and resized before it is stored."""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from planner.refused import Invalid, TooLarge

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is refused before it is decoded
LONGEST_SIDE = 1200  # sharp on a phone and a laptop, about 150 KB as JPEG
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
QUALITY = 82


@dataclass(frozen=True)
class Photo:
    data: bytes
    content_type: str
    width: int
    height: int
    digest: str


def prepared_photo(data: bytes) -> Photo:
    """The photo as stored: a JPEG at most LONGEST_SIDE pixels on its longest side, upright."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge(f"A photo can be at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", {"photo": "Too large."})
    if not data:
        raise Invalid("Choose a photo to upload.", {"photo": "No file was chosen."})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in FORMATS:
                    raise Invalid("The photo must be a JPEG, PNG, WebP or GIF image.", {"photo": "Not a photo."})
                if probe.width * probe.height > MAX_PIXELS:
                    raise TooLarge("That photo has too many pixels; send a smaller one.", {"photo": "Too large."})
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)  # the first frame of an animation
                upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError, OSError,
            SyntaxError, ValueError) as error:
        raise Invalid("That file is not an image that can be read.", {"photo": "Not a photo."}) from error
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    stored = out.getvalue()
    return Photo(stored, "image/jpeg", upright.width, upright.height, hashlib.sha256(stored).hexdigest())
