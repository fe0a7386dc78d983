"""Pillow work: look at a source photo cheaply, and encode its derivatives (in a worker process).

Nothing here knows about Pelican, so the encoder can run in a ProcessPoolExecutor.
"""

import io
import os
import warnings

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

try:  # iPhone photos (HEIC/HEIF) through the maintained pillow-heif plugin
    import pillow_heif
except ImportError:  # pragma: no cover - editors then get the "convert to JPEG" message
    pillow_heif = None

# EXIF orientations that swap width and height.
TRANSPOSED = {5, 6, 7, 8}
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis", b"avis")
SRGB = ImageCms.createProfile("sRGB")


class PhotoError(Exception):
    """A source photo the build cannot use; ``kind`` selects the Vietnamese message."""

    def __init__(self, kind, **details):
        super().__init__(kind)
        self.kind = kind
        self.details = details


def is_heif(head):
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def enable_heif():
    """Let Pillow open HEIC/HEIF when pillow-heif is installed; True when it can."""
    if pillow_heif is None:
        return False
    pillow_heif.register_heif_opener()
    return True


def decodes_reduced(path):
    """Whether Pillow can decode this photo at a reduced size (JPEG's DCT scaling)."""
    try:
        with open(path, "rb") as source:
            return source.read(3) == b"\xff\xd8\xff"
    except OSError:
        return False


def inspect(path, max_pixels, max_decoded=None, heif=False):
    """(width, height) after EXIF orientation, from the header only; PhotoError if unusable.

    A photo over `max_pixels`, or one decoded whole (not a JPEG) over `max_decoded`, is a
    "bomb": decoding it would take more memory than a build may spend on one photo.
    """
    try:
        with open(path, "rb") as source:
            head = source.read(16)
    except OSError as error:  # a folder, or no permission to read
        raise PhotoError("not_image") from error
    if is_heif(head) and not heif:
        raise PhotoError("heic")
    try:
        # Pillow's own warnings (a corrupt EXIF block…) would reach editors in English; a photo
        # it can read is used, one it cannot gets a Vietnamese problem.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                width, height = image.size
                limit = max_pixels
                if max_decoded and image.format != "JPEG":
                    limit = min(limit, max_decoded)
                if width * height > limit:
                    raise PhotoError("bomb", width=width, height=height, limit=limit)
                orientation = image.getexif().get(0x0112, 1)
    except Image.DecompressionBombError as error:
        raise PhotoError("bomb", width=0, height=0, limit=max_pixels) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PhotoError("not_image") from error
    if orientation in TRANSPOSED:
        width, height = height, width
    return width, height


def plan(width, height, recipe):
    """Output size of one recipe for an oriented source of width × height (never upscaled)."""
    kind = recipe["kind"]
    if kind == "width":
        target = min(recipe["width"], width)
        return target, max(1, round(height * target / width))
    # "crop": cover the box, centred; shrink the box proportionally when the source is smaller.
    box_w, box_h = recipe["width"], recipe["height"]
    scale = min(1.0, width / box_w, height / box_h)
    return max(1, round(box_w * scale)), max(1, round(box_h * scale))


def _to_srgb(image):
    """Apply the embedded colour profile, convert to 8-bit RGB/RGBA sRGB, keep transparency."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("LA", "PA", "La") or (
        image.mode == "L" and "transparency" in image.info
    ):
        image = image.convert("RGBA")
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            return ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to Pillow's plain conversion below
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    return image


def _flatten(image):
    """JPEG has no alpha: put transparent photos on white."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _resize(image, recipe, size):
    width, height = size
    if recipe["kind"] == "crop":
        return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    if (width, height) == image.size:
        return image.copy()
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _save(image, recipe, path):
    image.info = {}  # no EXIF, XMP, ICC or comments leave the build
    fmt = recipe["format"]
    temporary = f"{path}.{os.getpid()}.tmp"
    if fmt == "webp":
        image.save(temporary, "WEBP", quality=recipe["quality"], method=4)
    elif fmt == "avif":
        image.save(temporary, "AVIF", quality=recipe["quality"])
    else:
        _flatten(image).save(
            temporary, "JPEG", quality=recipe["quality"], optimize=True, progressive=True
        )
    os.replace(temporary, path)


def encode(source, jobs, max_pixels, heif=False):
    """Make every missing derivative of one source: jobs is [(recipe, (w, h), cache path), …].

    Returns None, or the PhotoError kind when the source turns out unusable (e.g. truncated).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see inspect(): no English from Pillow
        return _encode(source, jobs, max_pixels, heif)


def _encode(source, jobs, max_pixels, heif):
    Image.MAX_IMAGE_PIXELS = max_pixels
    if heif:
        enable_heif()  # idempotent; needed when workers are spawned rather than forked
    try:
        with Image.open(source) as opened:
            orientation = opened.getexif().get(0x0112, 1)
            width, height = opened.size
            if orientation in TRANSPOSED:
                width, height = height, width
            # Decode JPEGs at a reduced DCT scale when every output allows it (much faster).
            need_w = need_h = 1
            for recipe, (out_w, out_h), _ in jobs:
                if recipe["kind"] == "crop":
                    scale = max(out_w / width, out_h / height)
                    out_w, out_h = round(width * scale), round(height * scale)
                need_w, need_h = max(need_w, out_w), max(need_h, out_h)
            if orientation in TRANSPOSED:
                need_w, need_h = need_h, need_w
            if opened.format == "JPEG" and opened.mode in ("RGB", "L"):
                opened.draft(opened.mode, (need_w, need_h))
            opened.load()
            image = ImageOps.exif_transpose(opened)
            image = _to_srgb(image)
    except Image.DecompressionBombError:
        return "bomb"
    except OSError:
        return "truncated"
    except Exception:  # any other decoder complaint is the file's fault, not a build crash
        return "not_image"
    for recipe, size, path in jobs:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _save(_resize(image, recipe, size), recipe, path)
    return None
