package org.apotheca.security.pki;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough ASN.1 DER (X.690) to write an X.509 certificate: each method returns one complete encoded element, so
 * a structure is written inside-out by nesting calls. {@link #contents} reads one element back, which is all the
 * reading certificates need beyond what {@code CertificateFactory} parses.
 */
final class Der {

  private static final int BOOLEAN = 0x01;
  private static final int INTEGER = 0x02;
  private static final int BIT_STRING = 0x03;
  private static final int OCTET_STRING = 0x04;
  private static final int OID = 0x06;
  private static final int UTC_TIME = 0x17;
  private static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;

  /* RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on, both in seconds and in UTC. */
  private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
  private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

  private Der() {
  }

  static byte[] sequence(byte[]... elements) {
    return element(SEQUENCE, concat(elements));
  }

  /** A constructed, context-specific, explicitly tagged element: {@code [tag] EXPLICIT inner}. */
  static byte[] explicit(int tag, byte[] inner) {
    return element(0xA0 | tag, inner);
  }

  /** A primitive, context-specific, implicitly tagged element: {@code [tag] IMPLICIT} over the given contents. */
  static byte[] implicit(int tag, byte[] contents) {
    return element(0x80 | tag, contents);
  }

  static byte[] integer(BigInteger value) {
    // toByteArray is already the minimal two's-complement form DER asks for
    return element(INTEGER, value.toByteArray());
  }

  static byte[] bool(boolean value) {
    return element(BOOLEAN, new byte[] {(byte) (value ? 0xFF : 0x00)});
  }

  static byte[] octetString(byte[] contents) {
    return element(OCTET_STRING, contents);
  }

  /** A BIT STRING of whole bytes (no unused bits), as for signatures and keys. */
  static byte[] bitString(byte[] bytes) {
    byte[] contents = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, contents, 1, bytes.length);
    return element(BIT_STRING, contents);
  }

  /**
   * A named bit list such as KeyUsage: bit 0 is the most significant bit of the first byte, and DER drops trailing
   * zero bits (X.690 11.2.2), counting them in the leading "unused bits" byte.
   */
  static byte[] namedBits(int... bits) {
    int highest = Arrays.stream(bits).max().orElseThrow();
    byte[] bytes = new byte[highest / 8 + 1];
    for (int bit : bits) {
      bytes[bit / 8] |= (byte) (0x80 >>> (bit % 8));
    }
    byte[] contents = new byte[bytes.length + 1];
    contents[0] = (byte) (7 - highest % 8);
    System.arraycopy(bytes, 0, contents, 1, bytes.length);
    return element(BIT_STRING, contents);
  }

  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return element(OID, out.toByteArray());
  }

  static byte[] time(Instant instant) {
    ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
    if (utc.getYear() >= 1950 && utc.getYear() < 2050) {
      return element(UTC_TIME, UTC_TIME_FORMAT.format(utc).getBytes(StandardCharsets.US_ASCII));
    }
    return element(GENERALIZED_TIME, GENERALIZED_TIME_FORMAT.format(utc).getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] element(int tag, byte[] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
    out.write(tag);
    int length = contents.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | octets);
      for (int i = octets - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(contents);
    return out.toByteArray();
  }

  /**
   * The elements directly inside the constructed element {@code der} (which must carry {@code tag}), each whole
   * (tag, length and contents).
   */
  static byte[][] contents(byte[] der, int tag) {
    if (der.length < 2 || (der[0] & 0xFF) != tag) {
      throw new IllegalArgumentException("not a DER element with tag " + tag);
    }
    int[] header = header(der, 0);
    if (header[0] + header[1] != der.length) {
      throw new IllegalArgumentException("DER element length does not match its bytes");
    }
    List<byte[]> elements = new ArrayList<>();
    int at = header[0];
    while (at < der.length) {
      int[] inner = header(der, at);
      int end = at + inner[0] + inner[1];
      if (end > der.length) {
        throw new IllegalArgumentException("DER element runs past its enclosing element");
      }
      elements.add(Arrays.copyOfRange(der, at, end));
      at = end;
    }
    return elements.toArray(byte[][]::new);
  }

  /** The contents of a primitive element (without its tag and length). */
  static byte[] value(byte[] element) {
    int[] header = header(element, 0);
    return Arrays.copyOfRange(element, header[0], header[0] + header[1]);
  }

  /** {header length (tag and length octets, relative to at), contents length} of the element starting at at. */
  private static int[] header(byte[] der, int at) {
    if (at + 2 > der.length || (der[at] & 0x1F) == 0x1F) {
      throw new IllegalArgumentException("truncated DER or a multi-byte tag");
    }
    int first = der[at + 1] & 0xFF;
    if (first < 0x80) {
      return new int[] {2, first};
    }
    int octets = first & 0x7F;
    if (octets == 0 || octets > 3 || at + 2 + octets > der.length) {
      throw new IllegalArgumentException("DER length out of range");
    }
    int length = 0;
    for (int i = 0; i < octets; i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xFF);
    }
    return new int[] {2 + octets, length};
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int septet = (int) ((value >>> (7 * i)) & 0x7F);
      out.write(i == 0 ? septet : septet | 0x80);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
