// n-fold (RFC 3961 section 5.1): stretch or shrink a constant to the cipher's block size.

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The bit of `bytes` at `index`, counting from the most significant bit of the first octet. */
function bitAt(bytes: Uint8Array, index: number): number {
  return ((bytes[index >>> 3] ?? 0) >>> (7 - (index & 7))) & 1;
}

/** sum += addend in ones'-complement arithmetic: a carry out of the top octet wraps to the bottom. */
function addOnesComplement(sum: Uint8Array, addend: Uint8Array): void {
  let carry = 0;
  for (let i = sum.length - 1; i >= 0; i--) {
    const total = (sum[i] ?? 0) + (addend[i] ?? 0) + carry;
    sum[i] = total & 0xff;
    carry = total >>> 8;
  }
  while (carry !== 0) {
    for (let i = sum.length - 1; i >= 0 && carry !== 0; i--) {
      const total = (sum[i] ?? 0) + carry;
      sum[i] = total & 0xff;
      carry = total >>> 8;
    }
  }
}

/**
 * n-fold of `input` to `outputLength` octets: replicate the input to the least common multiple of the
 * two lengths, each copy rotated right by 13 more bits than the last, then add the `outputLength`-octet
 * chunks with ones'-complement (end-around carry) addition.
 */
export function nfold(input: Uint8Array, outputLength: number): Uint8Array {
  const inputLength = input.length;
  const inputBits = inputLength * 8;
  const lcm = (inputLength * outputLength) / gcd(inputLength, outputLength);
  const sum = new Uint8Array(outputLength);
  const chunk = new Uint8Array(outputLength);
  for (let offset = 0; offset < lcm; offset += outputLength) {
    // Octet `offset + i` of the replicated string lies in copy `floor(pos / inputLength)`.
    for (let i = 0; i < outputLength; i++) {
      let octet = 0;
      for (let bit = 0; bit < 8; bit++) {
        const position = (offset + i) * 8 + bit;
        const copy = Math.floor(position / inputBits);
        const rotation = (13 * copy) % inputBits;
        const source = ((((position % inputBits) - rotation) % inputBits) + inputBits) % inputBits;
        octet = (octet << 1) | bitAt(input, source);
      }
      chunk[i] = octet;
    }
    addOnesComplement(sum, chunk);
  }
  return sum;
}
