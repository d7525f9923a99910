// The one interface every encryption type and checksum type implements (RFC 3961 section 3 and 4).

/** The plaintext as encrypt takes it: one octet string, or its parts in order (encrypted as their concatenation). */
export type Plaintext = Uint8Array | readonly Uint8Array[];

export interface Etype {
  readonly id: number;
  /** MIT spelling, e.g. 'aes256-cts-hmac-sha1-96'. */
  readonly name: string;
  /** Other names MIT accepts for it, e.g. 'aes256-cts', 'aes256-sha1'. */
  readonly aliases: readonly string[];
  /** Protocol key length in octets. */
  readonly keyLength: number;
  /** The checksum type whose keys are this etype's keys (RFC 3961 "required checksum mechanism"). */
  readonly checksumType: number;
  /** True for RC4-HMAC: returned by getEtype only with { allowWeak: true }. */
  readonly weak: boolean;
  /** The s2kparams used when the KDC sends none (e.g. 4096 iterations for RFC 3962). */
  readonly defaultParams: Uint8Array;
  /** Octets of random confounder prepended to each plaintext. */
  readonly confounderLength: number;
  stringToKey(password: string | Uint8Array, salt: string | Uint8Array, params?: Uint8Array): Uint8Array;
  /** The same key, with PBKDF2 off the event loop (for s2kparams a KDC chose). */
  stringToKeyAsync(
    password: string | Uint8Array,
    salt: string | Uint8Array,
    params?: Uint8Array,
  ): Promise<Uint8Array>;
  randomToKey(bytes: Uint8Array): Uint8Array;
  /** A fresh random key (random-to-key over random octets). */
  randomKey(): Uint8Array;
  /**
   * Encrypt `plaintext`, or the concatenation of its parts without joining them first (e.g. a GSS Wrap token's
   * message and header); `confounder` is for test vectors only (random when omitted).
   */
  encrypt(key: Uint8Array, usage: number, plaintext: Plaintext, confounder?: Uint8Array): Uint8Array;
  /** Decrypt and check integrity; throws KRB_AP_ERR_BAD_INTEGRITY on any mismatch or short input. */
  decrypt(key: Uint8Array, usage: number, ciphertext: Uint8Array): Uint8Array;
  checksum(key: Uint8Array, usage: number, data: Uint8Array): Uint8Array;
  /** Throws KRB_AP_ERR_MODIFIED when `checksum` is not the checksum of `data`. */
  verifyChecksum(key: Uint8Array, usage: number, data: Uint8Array, checksum: Uint8Array): void;
  /** The RFC 3961 pseudo-random function of the etype. */
  prf(key: Uint8Array, input: Uint8Array): Uint8Array;
}

export interface ChecksumType {
  readonly id: number;
  /** MIT spelling, e.g. 'hmac-sha1-96-aes256'. */
  readonly name: string;
  /** Checksum length in octets. */
  readonly length: number;
  /** Key length in octets, or undefined when any key works (hmac-md5 takes any session key). */
  readonly keyLength: number | undefined;
  checksum(key: Uint8Array, usage: number, data: Uint8Array): Uint8Array;
  /** Throws KRB_AP_ERR_MODIFIED when `checksum` is not the checksum of `data`. */
  verify(key: Uint8Array, usage: number, data: Uint8Array, checksum: Uint8Array): void;
}
