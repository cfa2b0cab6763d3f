/* Test-only stand-in for Windows' bcryptprimitives.dll, which Wine 8 (Debian 12) lacks.
 *
 * Rust extension modules (pydantic-core, cryptography) import ProcessPrng from it; every Windows 10
 * and 11 has it. Under Wine 8 their import fails, so the Wine tests put this DLL into the test
 * prefix's system32. It is never shipped: the payload test checks the installer does not carry it.
 * ProcessPrng fills the buffer from the system RNG (RtlGenRandom, advapi32's SystemFunction036).
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
