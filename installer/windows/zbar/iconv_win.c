/*
 * iconv for Windows on top of the system code pages — see iconv.h for the interface.
 *
 * Built by installer/windows/zbar.py as libiconv.dll, the iconv that zbar's QR decoder
 * (zbar/qrcode/qrdectxt.c) imports.  zbar opens "UTF-8" from "ISO8859-1", "SJIS", "UTF-8", "BIG-5"
 * and, for ECI designators, "ISO8859-<n>", "CP437", "SJIS" and "UTF-8"; it treats any (size_t)-1 from
 * iconv() as "not this encoding" and a (iconv_t)-1 from iconv_open() as "encoding unavailable".  It
 * does not need any of the GNU extensions.
 *
 * Every conversion goes through one Unicode scalar value at a time: a decoder reads one character
 * of the source encoding, an encoder writes it in the target encoding.  UTF-8, UTF-16, UTF-32,
 * ASCII and ISO-8859-1 are converted here (strictly: no overlong forms, no surrogates, nothing above
 * U+10FFFF); every other encoding is a Windows code page of one or two bytes per character, converted
 * by MultiByteToWideChar with MB_ERR_INVALID_CHARS and WideCharToMultiByte with WC_NO_BEST_FIT_CHARS,
 * so a character the target cannot represent fails with EILSEQ instead of becoming '?'.
 *
 * Shift_JIS and its aliases are code page 932 (Microsoft's Shift_JIS, as Windows itself reads it:
 * 0x5C is the backslash and 0x7E the tilde, NEC and IBM extensions included).  UTF-16 and UTF-32
 * without a byte order suffix follow GNU libiconv: input honours a leading byte order mark and is
 * big-endian without one; output starts with a byte order mark and is big-endian.
 *
 * SPDX-License-Identifier: MIT (Madoguchi's licence; zbar itself is LGPL-2.1-or-later)
 */
#define ICONV_WIN_BUILDING 1
#include "iconv.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

enum codec_kind {
    CODEC_UTF8,
    CODEC_UTF16, /* byte order mark decides; big-endian by default */
    CODEC_UTF16LE,
    CODEC_UTF16BE,
    CODEC_UTF32, /* byte order mark decides; big-endian by default */
    CODEC_UTF32LE,
    CODEC_UTF32BE,
    CODEC_ASCII,
    CODEC_LATIN1,
    CODEC_CODEPAGE /* a Windows code page of at most two bytes per character */
};

struct codec {
    enum codec_kind kind;
    UINT codepage;                 /* CODEC_CODEPAGE only */
    unsigned char lead_byte[256];  /* CODEC_CODEPAGE only: 1 for the first byte of a two-byte character */
};

struct converter {
    struct codec from;
    struct codec to;
    int from_started;        /* the input's first character (or byte order mark) has been read */
    int from_little_endian;  /* UTF-16 / UTF-32 input: the byte order its byte order mark chose */
    int to_started;          /* UTF-16 / UTF-32 output: the byte order mark has been written */
};

enum { STEP_OK, STEP_SKIP, STEP_ILSEQ, STEP_INCOMPLETE, STEP_TOO_BIG };

#define NAME_MAX_LENGTH 40

/* ---- encoding names ------------------------------------------------------------------------- */

/* Upper-case letters and digits of `name`, the separators dropped: "iso_8859-1" -> "ISO88591".
   0 if the name is too long or has a "//" suffix. */
static int normalize_name(const char *name, char out[NAME_MAX_LENGTH + 1])
{
    size_t n = 0;
    if (strstr(name, "//") != NULL)
        return 0;
    for (; *name != '\0'; name++) {
        char c = *name;
        if (c == '-' || c == '_' || c == '.' || c == ':' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return 0;
        if (n == NAME_MAX_LENGTH)
            return 0;
        out[n++] = c;
    }
    out[n] = '\0';
    return 1;
}

struct alias {
    const char *name; /* normalized */
    enum codec_kind kind;
    UINT codepage;
};

static const struct alias ALIASES[] = {
    {"UTF8", CODEC_UTF8, 0},
    {"UTF16", CODEC_UTF16, 0},
    {"UTF16LE", CODEC_UTF16LE, 0},
    {"UTF16BE", CODEC_UTF16BE, 0},
    {"WCHART", CODEC_UTF16LE, 0}, /* "WCHAR_T": Windows' wchar_t */
    {"UTF32", CODEC_UTF32, 0},
    {"UTF32LE", CODEC_UTF32LE, 0},
    {"UTF32BE", CODEC_UTF32BE, 0},
    {"ASCII", CODEC_ASCII, 0},
    {"USASCII", CODEC_ASCII, 0},
    {"ANSIX341968", CODEC_ASCII, 0},
    {"ISO646US", CODEC_ASCII, 0},
    {"646", CODEC_ASCII, 0},
    {"CSASCII", CODEC_ASCII, 0},
    {"ISO88591", CODEC_LATIN1, 0},
    {"ISO885911987", CODEC_LATIN1, 0},
    {"LATIN1", CODEC_LATIN1, 0},
    {"L1", CODEC_LATIN1, 0},
    {"CP819", CODEC_LATIN1, 0},
    {"IBM819", CODEC_LATIN1, 0},
    {"ISOIR100", CODEC_LATIN1, 0},
    {"CSISOLATIN1", CODEC_LATIN1, 0},
    {"SHIFTJIS", CODEC_CODEPAGE, 932},
    {"SJIS", CODEC_CODEPAGE, 932},
    {"MSKANJI", CODEC_CODEPAGE, 932},
    {"CSSHIFTJIS", CODEC_CODEPAGE, 932},
    {"WINDOWS31J", CODEC_CODEPAGE, 932},
    {"MS932", CODEC_CODEPAGE, 932},
    {"BIG5", CODEC_CODEPAGE, 950},
    {"CSBIG5", CODEC_CODEPAGE, 950},
    {"GBK", CODEC_CODEPAGE, 936},
    {"GB2312", CODEC_CODEPAGE, 936},
    {"EUCCN", CODEC_CODEPAGE, 936},
    {"MS936", CODEC_CODEPAGE, 936},
    {"EUCKR", CODEC_CODEPAGE, 949},
    {"UHC", CODEC_CODEPAGE, 949},
    {"LATIN2", CODEC_CODEPAGE, 28592},
    {"LATIN9", CODEC_CODEPAGE, 28605},
};

/* The code page number after `prefix` in `name` ("CP932" -> 932), or 0. */
static UINT codepage_number(const char *name, const char *prefix)
{
    size_t length = strlen(prefix);
    unsigned long value = 0;
    const char *p;
    if (strncmp(name, prefix, length) != 0 || name[length] == '\0')
        return 0;
    for (p = name + length; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || value > 99999)
            return 0;
        value = value * 10 + (unsigned long)(*p - '0');
    }
    return (UINT)value;
}

/* Fills `codec` for a Windows code page; 0 if Windows lacks it or it needs more than two bytes
   per character (UTF-7, GB18030, the stateful ISO-2022 pages). */
static int codepage_codec(UINT codepage, struct codec *codec)
{
    CPINFO info;
    int i;
    switch (codepage) { /* the Unicode code pages are converted here, not by Windows */
    case CP_UTF8:
        codec->kind = CODEC_UTF8;
        return 1;
    case 1200:
        codec->kind = CODEC_UTF16LE;
        return 1;
    case 1201:
        codec->kind = CODEC_UTF16BE;
        return 1;
    case 12000:
        codec->kind = CODEC_UTF32LE;
        return 1;
    case 12001:
        codec->kind = CODEC_UTF32BE;
        return 1;
    case 20127:
        codec->kind = CODEC_ASCII;
        return 1;
    default:
        break;
    }
    if (codepage == 0 || !GetCPInfo(codepage, &info) || info.MaxCharSize > 2)
        return 0;
    codec->kind = CODEC_CODEPAGE;
    codec->codepage = codepage;
    memset(codec->lead_byte, 0, sizeof codec->lead_byte);
    for (i = 0; i + 1 < MAX_LEADBYTES && info.LeadByte[i] != 0; i += 2) {
        unsigned b;
        for (b = info.LeadByte[i]; b <= info.LeadByte[i + 1] && b < 256; b++)
            codec->lead_byte[b] = 1;
    }
    return 1;
}

static int lookup_codec(const char *name, struct codec *codec)
{
    char key[NAME_MAX_LENGTH + 1];
    UINT codepage;
    size_t i;
    memset(codec, 0, sizeof *codec);
    if (name == NULL || !normalize_name(name, key))
        return 0;
    if (key[0] == '\0' || strcmp(key, "CHAR") == 0) /* the locale's encoding: the ANSI code page */
        return codepage_codec(GetACP(), codec);
    for (i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++) {
        if (strcmp(key, ALIASES[i].name) == 0) {
            if (ALIASES[i].kind == CODEC_CODEPAGE)
                return codepage_codec(ALIASES[i].codepage, codec);
            codec->kind = ALIASES[i].kind;
            return 1;
        }
    }
    /* ISO-8859-<n>: the parts Windows has (28591 is ISO-8859-1, and so on). */
    codepage = codepage_number(key, "ISO8859");
    if (codepage >= 2 && codepage <= 16) {
        if (codepage == 10 || codepage == 11 || codepage == 12 || codepage == 14 || codepage == 16)
            return 0;
        return codepage_codec(28590 + codepage, codec);
    }
    codepage = codepage_number(key, "CP");
    if (codepage == 0)
        codepage = codepage_number(key, "WINDOWS");
    if (codepage == 0)
        codepage = codepage_number(key, "IBM");
    return codepage != 0 && codepage_codec(codepage, codec);
}

/* ---- decoders: one character from the input ---------------------------------------------------- */

static int is_surrogate(uint32_t c)
{
    return c >= 0xD800 && c <= 0xDFFF;
}

static int decode_utf8(const unsigned char *in, size_t left, uint32_t *c, size_t *used)
{
    unsigned char b = in[0];
    size_t need;
    size_t i;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    uint32_t value;
    if (b < 0x80) {
        *c = b;
        *used = 1;
        return STEP_OK;
    }
    if (b < 0xC2 || b > 0xF4)
        return STEP_ILSEQ;
    if (b < 0xE0) {
        need = 2;
        value = b & 0x1F;
    } else if (b < 0xF0) {
        need = 3;
        value = b & 0x0F;
        if (b == 0xE0)
            low = 0xA0; /* overlong */
        else if (b == 0xED)
            high = 0x9F; /* surrogates */
    } else {
        need = 4;
        value = b & 0x07;
        if (b == 0xF0)
            low = 0x90; /* overlong */
        else if (b == 0xF4)
            high = 0x8F; /* above U+10FFFF */
    }
    for (i = 1; i < need; i++) {
        if (i == left)
            return STEP_INCOMPLETE;
        if (in[i] < low || in[i] > high)
            return STEP_ILSEQ;
        low = 0x80;
        high = 0xBF;
        value = (value << 6) | (in[i] & 0x3F);
    }
    *c = value;
    *used = need;
    return STEP_OK;
}

static uint32_t read16(const unsigned char *p, int little_endian)
{
    return little_endian ? (uint32_t)p[0] | (uint32_t)p[1] << 8 : (uint32_t)p[0] << 8 | (uint32_t)p[1];
}

static uint32_t read32(const unsigned char *p, int little_endian)
{
    if (little_endian)
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int decode_utf16(const unsigned char *in, size_t left, int little_endian, uint32_t *c,
                        size_t *used)
{
    uint32_t unit;
    uint32_t low;
    if (left < 2)
        return STEP_INCOMPLETE;
    unit = read16(in, little_endian);
    if (unit >= 0xDC00 && unit <= 0xDFFF)
        return STEP_ILSEQ; /* a low surrogate without its high one */
    if (unit < 0xD800 || unit > 0xDBFF) {
        *c = unit;
        *used = 2;
        return STEP_OK;
    }
    if (left < 4)
        return STEP_INCOMPLETE;
    low = read16(in + 2, little_endian);
    if (low < 0xDC00 || low > 0xDFFF)
        return STEP_ILSEQ;
    *c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    *used = 4;
    return STEP_OK;
}

static int decode_utf32(const unsigned char *in, size_t left, int little_endian, uint32_t *c,
                        size_t *used)
{
    uint32_t value;
    if (left < 4)
        return STEP_INCOMPLETE;
    value = read32(in, little_endian);
    if (value > 0x10FFFF || is_surrogate(value))
        return STEP_ILSEQ;
    *c = value;
    *used = 4;
    return STEP_OK;
}

static int decode_codepage(const struct codec *codec, const unsigned char *in, size_t left, uint32_t *c,
                           size_t *used)
{
    WCHAR wide[2];
    int length = codec->lead_byte[in[0]] ? 2 : 1;
    int count;
    if ((size_t)length > left)
        return STEP_INCOMPLETE;
    count = MultiByteToWideChar(codec->codepage, MB_ERR_INVALID_CHARS, (LPCCH)in, length, wide, 2);
    if (count == 1 && !is_surrogate(wide[0])) {
        *c = wide[0];
    } else if (count == 2 && wide[0] >= 0xD800 && wide[0] <= 0xDBFF && wide[1] >= 0xDC00 &&
               wide[1] <= 0xDFFF) {
        *c = 0x10000 + (((uint32_t)wide[0] - 0xD800) << 10) + ((uint32_t)wide[1] - 0xDC00);
    } else {
        return STEP_ILSEQ;
    }
    *used = (size_t)length;
    return STEP_OK;
}

/* One character of input: STEP_OK with *c and *used, STEP_SKIP for a byte order mark (*used bytes),
   STEP_ILSEQ or STEP_INCOMPLETE. */
static int decode(struct converter *cv, const unsigned char *in, size_t left, uint32_t *c, size_t *used)
{
    const struct codec *codec = &cv->from;
    switch (codec->kind) {
    case CODEC_UTF8:
        return decode_utf8(in, left, c, used);
    case CODEC_UTF16:
        if (!cv->from_started && left >= 2) {
            cv->from_started = 1;
            if ((in[0] == 0xFE && in[1] == 0xFF) || (in[0] == 0xFF && in[1] == 0xFE)) {
                cv->from_little_endian = in[0] == 0xFF;
                *used = 2;
                return STEP_SKIP;
            }
        }
        return decode_utf16(in, left, cv->from_little_endian, c, used);
    case CODEC_UTF16LE:
    case CODEC_UTF16BE:
        return decode_utf16(in, left, codec->kind == CODEC_UTF16LE, c, used);
    case CODEC_UTF32:
        if (!cv->from_started && left >= 4) {
            cv->from_started = 1;
            if (read32(in, 0) == 0xFEFF || read32(in, 1) == 0xFEFF) {
                cv->from_little_endian = read32(in, 1) == 0xFEFF;
                *used = 4;
                return STEP_SKIP;
            }
        }
        return decode_utf32(in, left, cv->from_little_endian, c, used);
    case CODEC_UTF32LE:
    case CODEC_UTF32BE:
        return decode_utf32(in, left, codec->kind == CODEC_UTF32LE, c, used);
    case CODEC_ASCII:
        if (in[0] >= 0x80)
            return STEP_ILSEQ;
        *c = in[0];
        *used = 1;
        return STEP_OK;
    case CODEC_LATIN1:
        *c = in[0];
        *used = 1;
        return STEP_OK;
    case CODEC_CODEPAGE:
        return decode_codepage(codec, in, left, c, used);
    }
    return STEP_ILSEQ;
}

/* ---- encoders: one character to the output --------------------------------------------------- */

static size_t encode_utf8(uint32_t c, unsigned char *out)
{
    if (c < 0x80) {
        out[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (unsigned char)(0xC0 | c >> 6);
        out[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (unsigned char)(0xE0 | c >> 12);
        out[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | c >> 18);
    out[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

static void write16(unsigned char *p, uint32_t unit, int little_endian)
{
    p[little_endian ? 0 : 1] = (unsigned char)(unit & 0xFF);
    p[little_endian ? 1 : 0] = (unsigned char)(unit >> 8 & 0xFF);
}

static size_t encode_utf16(uint32_t c, int little_endian, unsigned char *out)
{
    if (c < 0x10000) {
        write16(out, c, little_endian);
        return 2;
    }
    c -= 0x10000;
    write16(out, 0xD800 + (c >> 10), little_endian);
    write16(out + 2, 0xDC00 + (c & 0x3FF), little_endian);
    return 4;
}

static size_t encode_utf32(uint32_t c, int little_endian, unsigned char *out)
{
    int i;
    for (i = 0; i < 4; i++)
        out[little_endian ? i : 3 - i] = (unsigned char)(c >> (8 * i) & 0xFF);
    return 4;
}

/* Encodes `c` into `scratch` (at least 16 bytes): the byte count, or 0 if the target encoding has no
   such character. */
static size_t encode(struct converter *cv, uint32_t c, unsigned char *scratch)
{
    const struct codec *codec = &cv->to;
    size_t n = 0;
    WCHAR wide[2];
    int wide_length = 1;
    BOOL used_default = FALSE;
    int count;
    switch (codec->kind) {
    case CODEC_UTF8:
        return encode_utf8(c, scratch);
    case CODEC_UTF16:
        if (!cv->to_started)
            n = encode_utf16(0xFEFF, 0, scratch);
        return n + encode_utf16(c, 0, scratch + n);
    case CODEC_UTF16LE:
    case CODEC_UTF16BE:
        return encode_utf16(c, codec->kind == CODEC_UTF16LE, scratch);
    case CODEC_UTF32:
        if (!cv->to_started)
            n = encode_utf32(0xFEFF, 0, scratch);
        return n + encode_utf32(c, 0, scratch + n);
    case CODEC_UTF32LE:
    case CODEC_UTF32BE:
        return encode_utf32(c, codec->kind == CODEC_UTF32LE, scratch);
    case CODEC_ASCII:
        if (c >= 0x80)
            return 0;
        scratch[0] = (unsigned char)c;
        return 1;
    case CODEC_LATIN1:
        if (c >= 0x100)
            return 0;
        scratch[0] = (unsigned char)c;
        return 1;
    case CODEC_CODEPAGE:
        if (c < 0x10000) {
            wide[0] = (WCHAR)c;
        } else {
            wide[0] = (WCHAR)(0xD800 + ((c - 0x10000) >> 10));
            wide[1] = (WCHAR)(0xDC00 + ((c - 0x10000) & 0x3FF));
            wide_length = 2;
        }
        count = WideCharToMultiByte(codec->codepage, WC_NO_BEST_FIT_CHARS, wide, wide_length,
                                    (LPSTR)scratch, 16, NULL, &used_default);
        if (count <= 0 || used_default)
            return 0;
        return (size_t)count;
    }
    return 0;
}

/* ---- the iconv interface ------------------------------------------------------------------- */

iconv_t libiconv_open(const char *tocode, const char *fromcode)
{
    struct converter *cv = (struct converter *)calloc(1, sizeof *cv);
    if (cv == NULL) {
        errno = ENOMEM;
        return (iconv_t)-1;
    }
    if (!lookup_codec(tocode, &cv->to) || !lookup_codec(fromcode, &cv->from)) {
        free(cv);
        errno = EINVAL;
        return (iconv_t)-1;
    }
    return (iconv_t)cv;
}

size_t libiconv(iconv_t cd, char **inbuf, size_t *inbytesleft, char **outbuf, size_t *outbytesleft)
{
    struct converter *cv = (struct converter *)cd;
    const unsigned char *in;
    unsigned char *out;
    size_t in_left;
    size_t out_left;
    int error = 0;
    if (cd == NULL || cd == (iconv_t)-1) {
        errno = EBADF;
        return (size_t)-1;
    }
    if (inbuf == NULL || *inbuf == NULL) {
        /* Back to the initial state; none of the encodings has a shift sequence to write. */
        cv->from_started = 0;
        cv->from_little_endian = 0;
        cv->to_started = 0;
        return 0;
    }
    if (inbytesleft == NULL || outbuf == NULL || *outbuf == NULL || outbytesleft == NULL) {
        errno = EFAULT;
        return (size_t)-1;
    }
    in = (const unsigned char *)*inbuf;
    in_left = *inbytesleft;
    out = (unsigned char *)*outbuf;
    out_left = *outbytesleft;
    while (in_left > 0) {
        uint32_t c = 0;
        size_t used = 0;
        unsigned char scratch[16];
        size_t written;
        int step = decode(cv, in, in_left, &c, &used);
        if (step == STEP_SKIP) {
            in += used;
            in_left -= used;
            continue;
        }
        if (step != STEP_OK) {
            error = step == STEP_INCOMPLETE ? EINVAL : EILSEQ;
            break;
        }
        written = encode(cv, c, scratch);
        if (written == 0) {
            error = EILSEQ;
            break;
        }
        if (written > out_left) {
            error = E2BIG;
            break;
        }
        memcpy(out, scratch, written);
        cv->from_started = 1;
        cv->to_started = 1;
        in += used;
        in_left -= used;
        out += written;
        out_left -= written;
    }
    *inbuf = (char *)in;
    *inbytesleft = in_left;
    *outbuf = (char *)out;
    *outbytesleft = out_left;
    if (error != 0) {
        errno = error;
        return (size_t)-1;
    }
    return 0;
}

int libiconv_close(iconv_t cd)
{
    if (cd == NULL || cd == (iconv_t)-1) {
        errno = EBADF;
        return -1;
    }
    free(cd);
    return 0;
}

/* The POSIX names, for programs that declare iconv themselves instead of including iconv.h. */
#undef iconv_open
#undef iconv
#undef iconv_close

ICONV_WIN_API iconv_t iconv_open(const char *tocode, const char *fromcode);
ICONV_WIN_API size_t iconv(iconv_t cd, char **inbuf, size_t *inbytesleft, char **outbuf,
                           size_t *outbytesleft);
ICONV_WIN_API int iconv_close(iconv_t cd);

iconv_t iconv_open(const char *tocode, const char *fromcode)
{
    return libiconv_open(tocode, fromcode);
}

size_t iconv(iconv_t cd, char **inbuf, size_t *inbytesleft, char **outbuf, size_t *outbytesleft)
{
    return libiconv(cd, inbuf, inbytesleft, outbuf, outbytesleft);
}

int iconv_close(iconv_t cd)
{
    return libiconv_close(cd);
}
