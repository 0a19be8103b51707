package org.glasshouse.protocol.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * INSPECTION.md describes every record of this package, field by field in wire order with its type,
 * and its JSON sketches use no field that does not exist: a field added, renamed, retyped or
 * reordered in a record without the document (or the other way round) fails here.
 */
class InspectionDocTest {

  private static final Path DOC = Path.of("src/main/java/org/glasshouse/protocol/inspect");

  /** Keys of objects used as maps in the sketches: namespace types, cap sets, controllers, PSI. */
  private static final Set<String> MAP_KEYS =
      Set.of(
          "mnt",
          "uts",
          "ipc",
          "net",
          "cgroup",
          "user",
          "time",
          "pid_for_children",
          "time_for_children",
          "inheritable",
          "permitted",
          "effective",
          "bounding",
          "ambient",
          "io");

  /** The envelope every event line has before its body. */
  private static final Set<String> ENVELOPE = Set.of("event", "container");

  private static Map<String, Class<?>> records;
  private static String doc;

  @BeforeAll
  static void load() throws IOException {
    records = new TreeMap<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(InspectResult.class.getPackageName())) {
      Class<?> type = c.reflect();
      if (type.isRecord()) {
        records.put(docName(type), type);
      }
    }
    doc = Files.readString(DOC.resolve("INSPECTION.md"));
  }

  /** {@code InspectResult.NamespaceView} for a nested record, the simple name otherwise. */
  private static String docName(Class<?> type) {
    return type.getEnclosingClass() == null
        ? type.getSimpleName()
        : docName(type.getEnclosingClass()) + "." + type.getSimpleName();
  }

  @Test
  void theRecordsAreTheOnesThisTestExpects() {
    // Guards the reflection above: were the package renamed, the other tests would pass on nothing.
    assertTrue(records.size() >= 25, "records found: " + records.keySet());
    assertTrue(records.containsKey("InspectResult.NamespaceView"), records.keySet().toString());
  }

  @Test
  void everyRecordHasATableWithItsFieldsInOrderAndTheirTypes() {
    Map<String, List<String[]>> tables = tables(doc);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Class<?>> r : records.entrySet()) {
      List<String[]> rows = tables.get(r.getKey());
      if (rows == null) {
        problems.add(r.getKey() + ": no '### `" + r.getKey() + "`' table");
        continue;
      }
      List<String> expected = new ArrayList<>();
      for (RecordComponent c : r.getValue().getRecordComponents()) {
        expected.add(c.getName() + " : " + typeName(c.getGenericType()));
      }
      List<String> documented = new ArrayList<>();
      for (String[] row : rows) {
        documented.add(row[0] + " : " + row[1]);
      }
      if (!expected.equals(documented)) {
        problems.add(r.getKey() + ": the record has " + expected + ", the table " + documented);
      }
    }
    Set<String> stale = new TreeSet<>(tables.keySet());
    stale.removeAll(records.keySet());
    stale.forEach(t -> problems.add(t + ": a table for a record that does not exist"));
    assertTrue(problems.isEmpty(), "INSPECTION.md and the records differ:\n" + problems);
  }

  @Test
  void theSketchesUseOnlyFieldsThatExist() {
    Set<String> known = new TreeSet<>(ENVELOPE);
    known.addAll(MAP_KEYS);
    for (Class<?> r : records.values()) {
      for (RecordComponent c : r.getRecordComponents()) {
        known.add(c.getName());
      }
    }
    Matcher block = Pattern.compile("(?s)```json\\n(.*?)```").matcher(doc);
    Pattern key = Pattern.compile("\"([A-Za-z_][A-Za-z0-9_]*)\"\\s*:");
    Set<String> unknown = new TreeSet<>();
    int keys = 0;
    while (block.find()) {
      // Comments (// to the end of the line, /* … */) say things like `for "host": PID 1`.
      String json = block.group(1).replaceAll("//[^\n]*", "").replaceAll("(?s)/\\*.*?\\*/", "");
      Matcher k = key.matcher(json);
      while (k.find()) {
        keys++;
        if (!known.contains(k.group(1))) {
          unknown.add(k.group(1));
        }
      }
    }
    assertTrue(keys > 50, "found only " + keys + " keys in the JSON sketches");
    assertEquals(Set.of(), unknown, "INSPECTION.md's sketches name fields no record has");
  }

  /** The document's type notation for a Java type. */
  private static String typeName(Type t) {
    if (t instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments();
      if (p.getRawType() == List.class) {
        return "[" + typeName(args[0]) + "]";
      }
      if (p.getRawType() == Map.class && args[0] == String.class) {
        return "{string: " + typeName(args[1]) + "}";
      }
      throw new AssertionError("no notation for " + t + ": extend the document's type list");
    }
    Class<?> c = (Class<?>) t;
    if (c == long.class || c == Long.class || c == int.class || c == Integer.class) {
      return "integer";
    }
    if (c == double.class || c == Double.class) {
      return "number";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "boolean";
    }
    if (c == String.class) {
      return "string";
    }
    if (c.isRecord()) {
      return docName(c);
    }
    throw new AssertionError("no notation for " + c + ": extend the document's type list");
  }

  /** Heading {@code ### `Name`} → its table's rows as {field, type}. */
  static Map<String, List<String[]>> tables(String text) {
    Map<String, List<String[]>> out = new LinkedHashMap<>();
    Pattern heading = Pattern.compile("^### `([A-Za-z.]+)`$");
    Pattern row = Pattern.compile("^\\| `([A-Za-z0-9_]+)` \\| ([^|]+?) \\|.*\\|$");
    List<String[]> current = null;
    for (String line : text.split("\n")) {
      Matcher h = heading.matcher(line);
      if (h.matches()) {
        current = new ArrayList<>();
        out.put(h.group(1), current);
      } else if (line.startsWith("#")) {
        current = null;
      } else if (current != null) {
        Matcher r = row.matcher(line);
        if (r.matches()) {
          current.add(new String[] {r.group(1), r.group(2).trim()});
        }
      }
    }
    return out;
  }
}
