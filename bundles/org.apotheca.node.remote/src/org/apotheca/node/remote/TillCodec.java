package org.apotheca.node.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apotheca.node.api.Refusal;
import org.apotheca.node.remote.TillProtocol.Op;
import org.eclipse.net4j.util.io.ExtendedDataInput;
import org.eclipse.net4j.util.io.ExtendedDataOutput;
import org.eclipse.net4j.util.io.ExtendedDataOutputStream;

/**
 * Writes and reads the API's values on Net4j's data streams. The type of every value comes from the
 * {@code NodeService} method a signal stands for (or from a record component of it), never from the wire, so the
 * other side can only ever make this side build the API's own records, strings, numbers and enum constants.
 * <p>
 * Encoding: int, long, boolean as Java's DataOutput writes them; every other value is preceded by a boolean
 * "present" (so nulls cross where the API allows them); strings as their length in chars and modified-UTF-8
 * chunks (lossless for any Java string, unpaired surrogates included); {@code char[]} as length and chars; dates as
 * epoch days; enum constants by name; lists and sets as a count and their elements; records as their components in
 * declaration order.
 * <p>
 * Reading is bounded (text length, element counts) and rejects what does not fit the expected type with
 * {@link Malformed}: the bytes come from the LAN, not from this program.
 */
final class TillCodec {

  /** Longest text either side accepts, in chars: far beyond any name or note, small enough to hold in memory. */
  static final int MAX_TEXT = 1 << 20;
  /** Most elements in one list or set (a search answer, a day's sales). */
  static final int MAX_ELEMENTS = 100_000;
  /** Modified UTF-8 takes at most 3 bytes per char: 16,384 chars stay under writeUTF's 65,535-byte limit. */
  private static final int UTF_CHUNK = 16_384;

  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return new Shape(type);
    }
  };

  private TillCodec() {
  }

  /** The other side sent bytes that are not a value of the expected type. */
  static final class Malformed extends IOException {

    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }

    Malformed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A value too large for the till protocol; nothing of it was sent. */
  static final class TooLarge extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final Refusal refusal;

    TooLarge(Refusal refusal, String message) {
      super(message);
      this.refusal = refusal;
    }
  }

  /** Throws for a type this codec cannot carry, so that an API change fails when the protocol loads, not on a till. */
  static void check(Type type) {
    if (type == void.class || type == int.class || type == long.class || type == boolean.class || type == String.class
        || type == char[].class || type == LocalDate.class) {
      return;
    }
    if (type instanceof ParameterizedType p && (p.getRawType() == List.class || p.getRawType() == Set.class)) {
      check(p.getActualTypeArguments()[0]);
      return;
    }
    if (type instanceof Class<?> c && c.isEnum()) {
      return;
    }
    if (type instanceof Class<?> c && c.isRecord()) {
      for (RecordComponent rc : SHAPES.get(c).components) {
        check(rc.getGenericType());
      }
      return;
    }
    throw new IllegalStateException("The till protocol cannot carry " + type.getTypeName());
  }

  // ---- whole messages ----

  static void writeArguments(ExtendedDataOutput out, Op op, Object[] args) throws IOException {
    Object[] values = args == null ? new Object[0] : args;
    if (values.length != op.arguments.length) {
      throw new IllegalStateException(op.word() + " takes " + op.arguments.length + " arguments");
    }
    for (int i = 0; i < values.length; i++) {
      write(out, op.arguments[i], values[i]);
    }
  }

  static Object[] readArguments(ExtendedDataInput in, Op op) throws IOException {
    Object[] values = new Object[op.arguments.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = read(in, op.arguments[i]);
    }
    return values;
  }

  /** The whole answer to a call, encoded before any of it is sent: a value that cannot be written fails here. */
  static byte[] answer(Op op, Object result) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    ExtendedDataOutputStream out = new ExtendedDataOutputStream(bytes);
    out.writeByte(TillProtocol.ANSWER);
    write(out, op.result, result);
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] refusal(Refusal refusal, String message) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      ExtendedDataOutputStream out = new ExtendedDataOutputStream(bytes);
      out.writeByte(TillProtocol.REFUSED);
      write(out, String.class, refusal.name());
      write(out, String.class, message);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e); // cannot happen
    }
  }

  // ---- values ----

  static void write(ExtendedDataOutput out, Type type, Object value) throws IOException {
    if (type == void.class) {
      return;
    }
    if (type == int.class) {
      out.writeInt((Integer) value);
      return;
    }
    if (type == long.class) {
      out.writeLong((Long) value);
      return;
    }
    if (type == boolean.class) {
      out.writeBoolean((Boolean) value);
      return;
    }
    out.writeBoolean(value != null);
    if (value == null) {
      return;
    }
    if (type == String.class) {
      writeText(out, (String) value);
    } else if (type == char[].class) {
      char[] chars = (char[]) value;
      if (chars.length > MAX_TEXT) {
        throw new TooLarge(Refusal.FIELD_TOO_LONG, "A secret of " + chars.length + " characters is longer than the till"
            + " protocol carries.");
      }
      out.writeInt(chars.length);
      for (char c : chars) {
        out.writeChar(c);
      }
    } else if (type == LocalDate.class) {
      out.writeLong(((LocalDate) value).toEpochDay());
    } else if (type instanceof ParameterizedType p) {
      Type element = p.getActualTypeArguments()[0];
      Collection<?> elements = (Collection<?>) value;
      List<?> snapshot = List.copyOf(elements); // the count written must be the count of elements that follow
      if (snapshot.size() > MAX_ELEMENTS) {
        throw new TooLarge(Refusal.BAD_INPUT, "A list of " + snapshot.size() + " entries is more than the till protocol"
            + " carries at once (at most " + MAX_ELEMENTS + ").");
      }
      out.writeInt(snapshot.size());
      for (Object e : snapshot) {
        write(out, element, e);
      }
    } else if (type instanceof Class<?> c && c.isEnum()) {
      writeText(out, ((Enum<?>) value).name());
    } else if (type instanceof Class<?> c && c.isRecord()) {
      Shape shape = SHAPES.get(c);
      for (int i = 0; i < shape.components.length; i++) {
        write(out, shape.components[i].getGenericType(), shape.get(i, value));
      }
    } else {
      throw new IllegalStateException("The till protocol cannot carry " + type.getTypeName());
    }
  }

  static Object read(ExtendedDataInput in, Type type) throws IOException {
    if (type == void.class) {
      return null;
    }
    if (type == int.class) {
      return in.readInt();
    }
    if (type == long.class) {
      return in.readLong();
    }
    if (type == boolean.class) {
      return in.readBoolean();
    }
    if (!in.readBoolean()) {
      return null;
    }
    if (type == String.class) {
      return readText(in);
    }
    if (type == char[].class) {
      int length = in.readInt();
      if (length < 0 || length > MAX_TEXT) {
        throw new Malformed("a secret of " + length + " characters");
      }
      char[] chars = new char[length];
      for (int i = 0; i < length; i++) {
        chars[i] = in.readChar();
      }
      return chars;
    }
    if (type == LocalDate.class) {
      long day = in.readLong();
      try {
        return LocalDate.ofEpochDay(day);
      } catch (DateTimeException e) {
        throw new Malformed("a day outside the calendar", e);
      }
    }
    if (type instanceof ParameterizedType p) {
      Type element = p.getActualTypeArguments()[0];
      int count = in.readInt();
      if (count < 0 || count > MAX_ELEMENTS) {
        throw new Malformed("a collection of " + count + " elements");
      }
      List<Object> list = new ArrayList<>(Math.min(count, 64));
      for (int i = 0; i < count; i++) {
        list.add(read(in, element));
      }
      if (p.getRawType() == Set.class) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(list));
      }
      return Collections.unmodifiableList(list);
    }
    if (type instanceof Class<?> c && c.isEnum()) {
      String name = readText(in);
      for (Object constant : c.getEnumConstants()) {
        if (((Enum<?>) constant).name().equals(name)) {
          return constant;
        }
      }
      throw new Malformed("no " + c.getSimpleName() + " is called " + name);
    }
    if (type instanceof Class<?> c && c.isRecord()) {
      Shape shape = SHAPES.get(c);
      Object[] values = new Object[shape.components.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = read(in, shape.components[i].getGenericType());
      }
      return shape.create(values);
    }
    throw new IllegalStateException("The till protocol cannot carry " + type.getTypeName());
  }

  private static void writeText(ExtendedDataOutput out, String text) throws IOException {
    int length = text.length();
    if (length > MAX_TEXT) {
      throw new TooLarge(Refusal.FIELD_TOO_LONG, "A text of " + length + " characters is longer than the till protocol"
          + " carries (at most " + MAX_TEXT + ").");
    }
    out.writeInt(length);
    for (int start = 0; start < length; start += UTF_CHUNK) {
      out.writeUTF(text.substring(start, Math.min(length, start + UTF_CHUNK)));
    }
  }

  private static String readText(ExtendedDataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_TEXT) {
      throw new Malformed("a text of " + length + " characters");
    }
    StringBuilder text = new StringBuilder(Math.min(length, 4096));
    while (text.length() < length) {
      text.append(in.readUTF());
    }
    if (text.length() != length) {
      throw new Malformed("a text longer than it said");
    }
    return text.toString();
  }

  /** A record's components, accessors and canonical constructor, looked up once per record type. */
  private static final class Shape {

    final RecordComponent[] components;
    private final Method[] accessors;
    private final Constructor<?> constructor;

    Shape(Class<?> type) {
      components = type.getRecordComponents();
      accessors = new Method[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        accessors[i] = components[i].getAccessor();
        types[i] = components[i].getType();
      }
      try {
        constructor = type.getDeclaredConstructor(types);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(type.getName() + " has no canonical constructor", e);
      }
    }

    Object get(int index, Object record) {
      try {
        return accessors[index].invoke(record);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + accessors[index], e);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("reading " + accessors[index] + " failed", e.getCause());
      }
    }

    Object create(Object[] values) throws Malformed {
      try {
        return constructor.newInstance(values);
      } catch (InvocationTargetException e) {
        // the record refused the values (a null list, ...): the sender broke the API's rules
        throw new Malformed(constructor.getDeclaringClass().getSimpleName() + " refused the values sent", e.getCause());
      } catch (ReflectiveOperationException | IllegalArgumentException e) {
        throw new IllegalStateException("cannot create " + constructor.getDeclaringClass().getName(), e);
      }
    }
  }
}
