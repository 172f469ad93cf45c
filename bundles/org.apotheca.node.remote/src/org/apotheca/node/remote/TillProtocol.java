package org.apotheca.node.remote;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;

import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.Refusal;

/**
 * The till protocol "apotheca-till": one Net4j signal per {@link NodeService} operation. A signal's argument and
 * answer types are those of its method in {@code NodeService}; nothing on the wire names a type.
 * <p>
 * A request is the method's arguments in order; an answer is a tag byte, then either the method's result
 * ({@link #ANSWER}) or a refusal's code name and message ({@link #REFUSED}).
 */
final class TillProtocol {

  static final String NAME = "apotheca-till";

  static final byte ANSWER = 0;
  static final byte REFUSED = 1;

  /**
   * Sent when the till opens its channel; Net4j refuses the channel when the node's differs. It is a checksum of
   * everything the codec depends on (signals, argument and result types, record components, enum constants,
   * refusal codes), so a till and a node built from different versions of the API refuse to talk instead of
   * misreading each other's bytes.
   */
  static final int VERSION = fingerprint();

  private TillProtocol() {
  }

  /** The operations, their signal ids (never reuse one) and how long a till waits for each answer. */
  enum Op {
    LOGIN(1, "login", 10_000), // the node's password hash is deliberately slow (~0.5-1 s), with a growing delay
    LOGOUT(2, "logout", 5_000),
    SESSION(3, "session", 5_000),
    SEARCH(4, "search", 5_000),
    PRODUCT(5, "product", 5_000),
    BATCHES(6, "batches", 5_000),
    QUOTE(7, "quote", 5_000),
    SELL(8, "sell", 30_000), // writes through to central when online: seconds, not milliseconds
    SALE(9, "sale", 5_000),
    SALES(10, "sales", 5_000),
    REFUND(11, "refund", 30_000),
    RECEIVE(12, "receive", 30_000),
    STATE(13, "state", 5_000),
    RESOLUTIONS(14, "resolutions", 5_000),
    // dispensary and controlled-drugs register (20-39)
    FIND_PATIENTS(20, "findPatients", 5_000),
    PATIENT(21, "patient", 5_000),
    SAVE_PATIENT(22, "savePatient", 30_000),
    FIND_PRESCRIBERS(23, "findPrescribers", 5_000),
    SAVE_PRESCRIBER(24, "savePrescriber", 30_000),
    SAVE_PRESCRIPTION(25, "savePrescription", 30_000),
    PRESCRIPTION(26, "prescription", 5_000),
    PRESCRIPTIONS(27, "prescriptions", 10_000),
    CHECK_WARNINGS(28, "checkWarnings", 10_000),
    DISPENSE(29, "dispense", 30_000),
    DISPENSING(30, "dispensing", 5_000),
    DISPENSING_HISTORY(31, "dispensingHistory", 10_000),
    LABEL(32, "label", 5_000),
    REGISTER_DRUGS(33, "registerDrugs", 10_000),
    REGISTER(34, "register", 10_000),
    ADD_REGISTER_NOTE(35, "addRegisterNote", 30_000),
    REGISTER_BALANCE_CHECK(36, "registerBalanceCheck", 10_000);

    private static final Map<Short, Op> BY_SIGNAL = new HashMap<>();

    static {
      for (Op op : values()) {
        BY_SIGNAL.put(op.signal, op);
      }
    }

    final short signal;
    final Method method;
    final Type[] arguments;
    final Type result;
    final long timeoutMillis;

    Op(int signal, String methodName, long timeoutMillis) {
      this.signal = (short) signal;
      this.method = method(methodName);
      this.arguments = method.getGenericParameterTypes();
      this.result = method.getGenericReturnType();
      this.timeoutMillis = timeoutMillis;
      for (Type t : arguments) {
        TillCodec.check(t);
      }
      TillCodec.check(result);
    }

    /** The operation of a signal id, null for an id the till protocol does not have. */
    static Op of(short signal) {
      return BY_SIGNAL.get(signal);
    }

    /** "sell": for log lines and messages. */
    String word() {
      return method.getName();
    }

    private static Method method(String name) {
      Method found = null;
      for (Method m : NodeService.class.getMethods()) {
        if (m.getName().equals(name)) {
          if (found != null) {
            throw new IllegalStateException("NodeService." + name + " is overloaded: one signal cannot carry both");
          }
          found = m;
        }
      }
      if (found == null) {
        throw new IllegalStateException("NodeService has no operation " + name);
      }
      return found;
    }
  }

  private static int fingerprint() {
    StringBuilder text = new StringBuilder(NAME);
    Set<Class<?>> described = new HashSet<>();
    Set<String> definitions = new TreeSet<>();
    for (Op op : Op.values()) {
      text.append('|').append(op.signal).append(' ').append(op.word()).append('(');
      for (Type t : op.arguments) {
        text.append(describe(t, described, definitions)).append(',');
      }
      text.append(")->").append(describe(op.result, described, definitions));
    }
    text.append("|refusals").append(names(Refusal.class));
    definitions.forEach(d -> text.append('|').append(d));
    CRC32 crc = new CRC32();
    crc.update(text.toString().getBytes(StandardCharsets.UTF_8));
    int version = (int) crc.getValue();
    return version == 0 ? 1 : version; // 0 is Net4j's "unspecified"
  }

  private static String describe(Type type, Set<Class<?>> described, Set<String> definitions) {
    if (type instanceof ParameterizedType p) {
      StringBuilder b = new StringBuilder(describe(p.getRawType(), described, definitions)).append('<');
      for (Type a : p.getActualTypeArguments()) {
        b.append(describe(a, described, definitions));
      }
      return b.append('>').toString();
    }
    Class<?> c = (Class<?>) type;
    if (described.add(c)) {
      if (c.isRecord()) {
        StringBuilder b = new StringBuilder(c.getName()).append('{');
        for (RecordComponent rc : c.getRecordComponents()) {
          b.append(rc.getName()).append(':').append(describe(rc.getGenericType(), described, definitions)).append(',');
        }
        definitions.add(b.append('}').toString());
      } else if (c.isEnum()) {
        definitions.add(c.getName() + names(c));
      }
    }
    return c.getName();
  }

  private static String names(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList().toString();
  }
}
