/*
 * iconv for Windows on top of the system code pages (MultiByteToWideChar / WideCharToMultiByte).
 *
 * Part of Madoguchi's Windows installer: zbar's QR decoder calls iconv, mingw-w64 has none, so
 * installer/windows/zbar/iconv_win.c provides one in libiconv.dll.  The entry points carry GNU
 * libiconv's names (libiconv_open, libiconv, libiconv_close) so that a program built against this
 * header imports the same symbols as one built against GNU libiconv; the POSIX names are macros, as
 * in GNU libiconv's header, and the DLL also exports them as plain functions.
 *
 * Semantics (POSIX iconv): iconv() returns 0 (no irreversible conversions are ever performed) or
 * (size_t)-1 with errno set to EILSEQ (invalid input, or a character the target encoding cannot
 * represent; *inbuf points at it), EINVAL (an incomplete multibyte sequence ends the input) or E2BIG
 * (the output buffer is full).  errno is the one of msvcrt.dll, the C runtime this DLL links.
 *
 * SPDX-License-Identifier: MIT (Madoguchi's licence; zbar itself is LGPL-2.1-or-later)
 */
#ifndef MADOGUCHI_ICONV_H
#define MADOGUCHI_ICONV_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ICONV_WIN_BUILDING)
#define ICONV_WIN_API __declspec(dllexport)
#else
#define ICONV_WIN_API __declspec(dllimport)
#endif

typedef void *iconv_t;

/* A conversion descriptor from `fromcode` to `tocode`, or (iconv_t)-1 with errno EINVAL when either
   encoding is unknown (or ENOMEM).  Names are matched case-insensitively, ignoring '-', '_', '.',
   ':' and spaces; "//TRANSLIT" and "//IGNORE" suffixes are not supported. */
ICONV_WIN_API iconv_t libiconv_open(const char *tocode, const char *fromcode);

/* Converts as much of the input as possible and advances the four arguments past what was converted.
   With inbuf (or *inbuf) NULL, returns the descriptor to its initial state. */
ICONV_WIN_API size_t libiconv(iconv_t cd, char **inbuf, size_t *inbytesleft, char **outbuf,
                              size_t *outbytesleft);

/* Frees the descriptor: 0, or -1 with errno EBADF for (iconv_t)-1 or NULL. */
ICONV_WIN_API int libiconv_close(iconv_t cd);

#define iconv_open libiconv_open
#define iconv libiconv
#define iconv_close libiconv_close

#ifdef __cplusplus
}
#endif

#endif /* MADOGUCHI_ICONV_H */
