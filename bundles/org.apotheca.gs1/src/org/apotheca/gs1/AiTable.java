package org.apotheca.gs1;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The GS1 Application Identifier table (GS1 General Specifications section 3.2) as far as a parser needs it: how long
 * each AI is, the length and character set of its data, and which parts carry a check digit, a date or a time.
 *
 * <p>Data formats use GS1's notation: {@code N6} six digits, {@code X..20} one to twenty characters of character set
 * 82, {@code Y} character set 39, {@code Z} base64url (set 64), {@code [..]} an optional trailing part. A suffix such
 * as {@code :csum} or {@code :yymmd0} names the extra check the parser applies to that part.
 */
final class AiTable {

  /** Character set of one part of an AI's data. */
  enum Charset {
    NUMERIC, CSET82, CSET39, CSET64
  }

  /** Content rule of one part beyond its character set. */
  enum Rule {
    NONE, CSUM, YYMMD0, YYMMDD, YYYYMMDD, HHMM, HH
  }

  record Part(Charset charset, int length, boolean variable, boolean optional, Rule rule) {
    int minLength() {
      return optional ? 0 : variable ? 1 : length;
    }
  }

  record Ai(String code, List<Part> parts, String title, boolean predefined) {

    boolean fixedLength() {
      return parts.stream().noneMatch(p -> p.variable() || p.optional());
    }

    int minLength() {
      return parts.stream().mapToInt(Part::minLength).sum();
    }

    int maxLength() {
      return parts.stream().mapToInt(Part::length).sum();
    }

    boolean numeric() {
      return parts.stream().allMatch(p -> p.charset() == Charset.NUMERIC);
    }
  }

  /*
   * GS1 General Specifications figure 7.8.5-2 (7.8.4-2 in older editions), "element strings with predefined length
   * using GS1 Application Identifiers": element strings whose first two digits are listed here have the given total
   * length (AI plus data) and need no separator after them. It differs from what the AI table itself says:
   *  - it names prefixes, not AIs: 04, 14, 18 and 19 are listed but have no AI, so the parser still refuses them as
   *    unknown; 41 covers only 410-417; 31-36 cover every 4-digit AI 3100-3699 although only some exist (mostly
   *    decimal positions 0-5);
   *  - many AIs whose data is fixed length are NOT in it: 402 (17), 422/424/426 (3), 4307/4317 (2), 4309 (20),
   *    4321-4323 (1), 4324/4325 (10), 4326 (6), 7001 (13), 7003 (10), 7006 (6), 7040 (4), 7241 (2), 7250 (8),
   *    7251 (12), 7252 (1), 7258 (3), 8001 (14), 8005 (6), 8006/8026 (18), 8017/8018 (18), 8040/8041 (15),
   *    8042 (32), 8111 (4), 394n (4), 395n (6). GS1 requires a separator after those unless they end the symbol,
   *    so the parser reads them up to the next separator like variable-length data and then insists on the exact
   *    length instead of splitting them by count;
   *  - it once listed 23 (the withdrawn AIs 23n); its successor 235 is variable length and ends with a separator.
   * The static initialiser checks the AI definitions against this table.
   */
  private static final Map<String, Integer> PREDEFINED_TOTAL_LENGTH = Map.ofEntries(
      Map.entry("00", 20), Map.entry("01", 16), Map.entry("02", 16), Map.entry("03", 16), Map.entry("04", 18),
      Map.entry("11", 8), Map.entry("12", 8), Map.entry("13", 8), Map.entry("14", 8), Map.entry("15", 8),
      Map.entry("16", 8), Map.entry("17", 8), Map.entry("18", 8), Map.entry("19", 8), Map.entry("20", 4),
      Map.entry("31", 10), Map.entry("32", 10), Map.entry("33", 10), Map.entry("34", 10), Map.entry("35", 10),
      Map.entry("36", 10), Map.entry("41", 16));

  /** AI (or first-last of a numeric range) | data format | what it is, phrased to follow "The ..." in a message. */
  private static final String[] TABLE = {
      "00        | N18:csum                  | shipping container code (SSCC)",
      "01        | N14:csum                  | product code",
      "02        | N14:csum                  | contained product code",
      "03        | N14:csum                  | made-to-order product code",
      "10        | X..20                     | lot",
      "11        | N6:yymmd0                 | production date",
      "12        | N6:yymmd0                 | due date",
      "13        | N6:yymmd0                 | packaging date",
      "15        | N6:yymmd0                 | best-before date",
      "16        | N6:yymmd0                 | sell-by date",
      "17        | N6:yymmd0                 | expiry date",
      "20        | N2                        | variant",
      "21        | X..20                     | serial number",
      "22        | X..20                     | consumer product variant",
      "235       | X..28                     | third-party serial number",
      "240       | X..30                     | additional product identification",
      "241       | X..30                     | customer part number",
      "242       | N..6                      | made-to-order variant",
      "243       | X..20                     | packaging component number",
      "250       | X..30                     | secondary serial number",
      "251       | X..30                     | reference to source entity",
      "253       | N13:csum [X..17]          | document type identifier (GDTI)",
      "254       | X..20                     | location extension",
      "255       | N13:csum [N..12]          | coupon code (GCN)",
      "30        | N..8                      | variable count",
      "3100-3105 | N6                        | net weight (kg)",
      "3110-3115 | N6                        | length (m)",
      "3120-3125 | N6                        | width (m)",
      "3130-3135 | N6                        | height (m)",
      "3140-3145 | N6                        | area (m2)",
      "3150-3155 | N6                        | net volume (l)",
      "3160-3165 | N6                        | net volume (m3)",
      "3200-3205 | N6                        | net weight (lb)",
      "3210-3215 | N6                        | length (in)",
      "3220-3225 | N6                        | length (ft)",
      "3230-3235 | N6                        | length (yd)",
      "3240-3245 | N6                        | width (in)",
      "3250-3255 | N6                        | width (ft)",
      "3260-3265 | N6                        | width (yd)",
      "3270-3275 | N6                        | height (in)",
      "3280-3285 | N6                        | height (ft)",
      "3290-3295 | N6                        | height (yd)",
      "3300-3305 | N6                        | gross weight (kg)",
      "3310-3315 | N6                        | logistic length (m)",
      "3320-3325 | N6                        | logistic width (m)",
      "3330-3335 | N6                        | logistic height (m)",
      "3340-3345 | N6                        | logistic area (m2)",
      "3350-3355 | N6                        | logistic volume (l)",
      "3360-3365 | N6                        | logistic volume (m3)",
      "3370-3375 | N6                        | kilograms per square metre",
      "3400-3405 | N6                        | gross weight (lb)",
      "3410-3415 | N6                        | logistic length (in)",
      "3420-3425 | N6                        | logistic length (ft)",
      "3430-3435 | N6                        | logistic length (yd)",
      "3440-3445 | N6                        | logistic width (in)",
      "3450-3455 | N6                        | logistic width (ft)",
      "3460-3465 | N6                        | logistic width (yd)",
      "3470-3475 | N6                        | logistic height (in)",
      "3480-3485 | N6                        | logistic height (ft)",
      "3490-3495 | N6                        | logistic height (yd)",
      "3500-3505 | N6                        | area (in2)",
      "3510-3515 | N6                        | area (ft2)",
      "3520-3525 | N6                        | area (yd2)",
      "3530-3535 | N6                        | logistic area (in2)",
      "3540-3545 | N6                        | logistic area (ft2)",
      "3550-3555 | N6                        | logistic area (yd2)",
      "3560-3565 | N6                        | net weight (troy oz)",
      "3570-3575 | N6                        | net volume (oz)",
      "3600-3605 | N6                        | net volume (qt)",
      "3610-3615 | N6                        | net volume (gal)",
      "3620-3625 | N6                        | logistic volume (qt)",
      "3630-3635 | N6                        | logistic volume (gal)",
      "3640-3645 | N6                        | net volume (in3)",
      "3650-3655 | N6                        | net volume (ft3)",
      "3660-3665 | N6                        | net volume (yd3)",
      "3670-3675 | N6                        | logistic volume (in3)",
      "3680-3685 | N6                        | logistic volume (ft3)",
      "3690-3695 | N6                        | logistic volume (yd3)",
      "37        | N..8                      | count of trade items",
      "3900-3909 | N..15                     | amount payable",
      "3910-3919 | N3 N..15                  | amount payable in a currency",
      "3920-3929 | N..15                     | price",
      "3930-3939 | N3 N..15                  | price in a currency",
      "3940-3943 | N4                        | percentage discount",
      "3950-3955 | N6                        | price per unit of measure",
      "400       | X..30                     | order number",
      "401       | X..30                     | consignment number (GINC)",
      "402       | N17:csum                  | shipment number (GSIN)",
      "403       | X..30                     | routing code",
      "410       | N13:csum                  | ship-to location (GLN)",
      "411       | N13:csum                  | bill-to location (GLN)",
      "412       | N13:csum                  | purchased-from location (GLN)",
      "413       | N13:csum                  | ship-for location (GLN)",
      "414       | N13:csum                  | physical location (GLN)",
      "415       | N13:csum                  | invoicing party (GLN)",
      "416       | N13:csum                  | production or service location (GLN)",
      "417       | N13:csum                  | party (GLN)",
      "420       | X..20                     | ship-to postal code",
      "421       | N3 X..9                   | ship-to postal code with country",
      "422       | N3                        | country of origin",
      "423       | N3 [N..12]                | country of initial processing",
      "424       | N3                        | country of processing",
      "425       | N3 [N..12]                | country of disassembly",
      "426       | N3                        | country of full processing",
      "427       | X..3                      | country subdivision of origin",
      "4300      | X..35                     | ship-to company name",
      "4301      | X..35                     | ship-to contact",
      "4302      | X..70                     | ship-to address line 1",
      "4303      | X..70                     | ship-to address line 2",
      "4304      | X..70                     | ship-to suburb",
      "4305      | X..70                     | ship-to locality",
      "4306      | X..70                     | ship-to region",
      "4307      | X2                        | ship-to country code",
      "4308      | X..30                     | ship-to telephone number",
      "4309      | N20                       | ship-to geolocation",
      "4310      | X..35                     | return-to company name",
      "4311      | X..35                     | return-to contact",
      "4312      | X..70                     | return-to address line 1",
      "4313      | X..70                     | return-to address line 2",
      "4314      | X..70                     | return-to suburb",
      "4315      | X..70                     | return-to locality",
      "4316      | X..70                     | return-to region",
      "4317      | X2                        | return-to country code",
      "4318      | X..20                     | return-to postal code",
      "4319      | X..30                     | return-to telephone number",
      "4320      | X..35                     | service code description",
      "4321      | N1                        | dangerous goods flag",
      "4322      | N1                        | authority-to-leave flag",
      "4323      | N1                        | signature-required flag",
      "4324      | N6:yymmd0 N4:hhmm         | not-before delivery date and time",
      "4325      | N6:yymmd0 N4:hhmm         | not-after delivery date and time",
      "4326      | N6:yymmdd                 | release date",
      "4330      | N6 [X1]                   | maximum temperature (Fahrenheit)",
      "4331      | N6 [X1]                   | maximum temperature (Celsius)",
      "4332      | N6 [X1]                   | minimum temperature (Fahrenheit)",
      "4333      | N6 [X1]                   | minimum temperature (Celsius)",
      "7001      | N13                       | NATO stock number",
      "7002      | X..30                     | meat cut classification",
      "7003      | N6:yymmdd N4:hhmm         | expiry date and time",
      "7004      | N..4                      | active potency",
      "7005      | X..12                     | catch area",
      "7006      | N6:yymmdd                 | first freeze date",
      "7007      | N6:yymmdd [N6:yymmdd]     | harvest date",
      "7008      | X..3                      | aquatic species",
      "7009      | X..10                     | fishing gear type",
      "7010      | X..2                      | production method",
      "7011      | N6:yymmdd [N4:hhmm]       | test-by date",
      "7020      | X..20                     | refurbishment lot",
      "7021      | X..20                     | functional status",
      "7022      | X..20                     | revision status",
      "7023      | X..30                     | assembly identifier (GIAI)",
      "7030-7039 | N3 X..27                  | processor approval number",
      "7040      | N1 X3                     | importer index",
      "7041      | X..4                      | freight unit type",
      "710       | X..20                     | German reimbursement number (PZN)",
      "711       | X..20                     | French reimbursement number (CIP)",
      "712       | X..20                     | Spanish reimbursement number (CN)",
      "713       | X..20                     | Brazilian reimbursement number (DRN)",
      "714       | X..20                     | Portuguese reimbursement number (AIM)",
      "715       | X..20                     | US reimbursement number (NDC)",
      "716       | X..20                     | Italian reimbursement number (AIC)",
      "717       | X..20                     | national reimbursement number (SRN)",
      "7230-7239 | X2 X..28                  | certification reference",
      "7240      | X..20                     | protocol identifier",
      "7241      | N2                        | carrier media type",
      "7242      | X..25                     | version control number",
      "7250      | N8:yyyymmdd               | date of birth",
      "7251      | N8:yyyymmdd N4:hhmm       | date and time of birth",
      "7252      | N1                        | biological sex",
      "7253      | X..40                     | family name",
      "7254      | X..40                     | given name",
      "7255      | X..10                     | name suffix",
      "7256      | X..90                     | full name",
      "7257      | X..70                     | person's address",
      "7258      | X3                        | birth sequence",
      "7259      | X..40                     | baby's name",
      "8001      | N14                       | roll dimensions",
      "8002      | X..20                     | mobile phone identifier",
      "8003      | N1 N13:csum [X..16]       | returnable asset (GRAI)",
      "8004      | X..30                     | individual asset (GIAI)",
      "8005      | N6                        | price per unit",
      "8006      | N14:csum N4               | piece of a product (ITIP)",
      "8007      | X..34                     | bank account (IBAN)",
      "8008      | N6:yymmdd N2:hh [N..4]    | production date and time",
      "8009      | X..50                     | sensor indicator",
      "8010      | Y..30                     | component identifier (CPID)",
      "8011      | N..12                     | component serial number",
      "8012      | X..20                     | software version",
      "8013      | X..25                     | model number (GMN)",
      "8014      | X..25                     | medical device model number (MUDI)",
      "8017      | N18:csum                  | service provider relation (GSRN)",
      "8018      | N18:csum                  | service recipient relation (GSRN)",
      "8019      | N..10                     | service relation instance",
      "8020      | X..25                     | payment slip reference",
      "8026      | N14:csum N4               | contained piece of a product (ITIP)",
      "8030      | Z..90                     | digital signature",
      "8040      | N15                       | IMEI",
      "8041      | N15                       | second IMEI",
      "8042      | N32                       | eSIM identifier",
      "8043      | N18 [N..2]                | SIM card identifier",
      "8110      | X..70                     | North American coupon code",
      "8111      | N4                        | loyalty points",
      "8112      | X..70                     | paperless coupon code",
      "8200      | X..70                     | product URL",
      "90        | X..30                     | internal code",
      "91-99     | X..90                     | company internal code",
  };

  private static final Map<String, Ai> BY_CODE = new HashMap<>();

  /** Length of the AI itself by its first two digits; GS1 keeps it the same for every AI sharing those digits. */
  private static final int[] AI_LENGTH = new int[100];

  static {
    for (String row : TABLE) {
      String[] cells = row.split("\\|");
      String codes = cells[0].strip();
      List<Part> parts = parseFormat(cells[1].strip());
      String title = cells[2].strip();
      int dash = codes.indexOf('-');
      String first = dash < 0 ? codes : codes.substring(0, dash);
      String last = dash < 0 ? codes : codes.substring(dash + 1);
      for (int n = Integer.parseInt(first); n <= Integer.parseInt(last); n++) {
        String code = String.format("%0" + first.length() + "d", n);
        add(new Ai(code, parts, title, PREDEFINED_TOTAL_LENGTH.containsKey(code.substring(0, 2))));
      }
    }
  }

  private AiTable() {
  }

  private static void add(Ai ai) {
    String code = ai.code();
    int prefix = Integer.parseInt(code.substring(0, 2));
    if (AI_LENGTH[prefix] != 0 && AI_LENGTH[prefix] != code.length()) {
      throw new IllegalStateException("AI " + code + " differs in length from other AIs starting " + prefix);
    }
    AI_LENGTH[prefix] = code.length();
    Integer total = PREDEFINED_TOTAL_LENGTH.get(code.substring(0, 2));
    if (total != null && (!ai.fixedLength() || code.length() + ai.maxLength() != total)) {
      throw new IllegalStateException("AI " + code + " contradicts the predefined length " + total);
    }
    if (BY_CODE.put(code, ai) != null) {
      throw new IllegalStateException("AI " + code + " defined twice");
    }
  }

  private static List<Part> parseFormat(String format) {
    List<Part> parts = new ArrayList<>();
    for (String token : format.split("\\s+")) {
      boolean optional = token.startsWith("[");
      if (optional) {
        token = token.substring(1, token.length() - 1);
      }
      int colon = token.indexOf(':');
      Rule rule = colon < 0 ? Rule.NONE : Rule.valueOf(token.substring(colon + 1).toUpperCase());
      String type = colon < 0 ? token : token.substring(0, colon);
      Charset charset = switch (type.charAt(0)) {
        case 'N' -> Charset.NUMERIC;
        case 'X' -> Charset.CSET82;
        case 'Y' -> Charset.CSET39;
        case 'Z' -> Charset.CSET64;
        default -> throw new IllegalStateException("format " + format);
      };
      boolean variable = type.startsWith("..", 1);
      int length = Integer.parseInt(type.substring(variable ? 3 : 1));
      parts.add(new Part(charset, length, variable, optional, rule));
    }
    return List.copyOf(parts);
  }

  /** Length of AIs starting with these two digits, 0 when GS1 has assigned none. */
  static int aiLength(int firstTwoDigits) {
    return AI_LENGTH[firstTwoDigits];
  }

  /** The AI with exactly this code, or null. */
  static Ai get(String code) {
    return BY_CODE.get(code);
  }

  static boolean allowed(Charset charset, char c) {
    return switch (charset) {
      case NUMERIC -> c >= '0' && c <= '9';
      case CSET82 -> c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
          || "!\"%&'()*+,-./:;<=>?_".indexOf(c) >= 0;
      case CSET39 -> c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '#' || c == '-' || c == '/';
      // '=' only pads the end of base64 data, but GS1 lists it in set 64
      case CSET64 -> c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_'
          || c == '=';
    };
  }
}
