import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording into the hot spots an optimizer starts from: CPU samples by top
 * frame (self), by project method (inclusive), and allocation samples by class and by first
 * non-JDK frame. JDK 17's {@code jfr} tool has no {@code view}, hence this single-file program:
 * {@code java bench/tools/JfrTop.java recording.jfr [rows]}.
 */
public final class JfrTop {

  private static final String PROJECT = "dev.lambdaproxy.";

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: java JfrTop.java recording.jfr [rows]");
      System.exit(2);
    }
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> selfByClass = new HashMap<>();
    Map<String, Long> projectInclusive = new HashMap<>();
    Map<String, Long> firstProjectFrame = new HashMap<>();
    Map<String, Map<String, Long>> callees = new HashMap<>();
    Map<String, Long> nativeTop = new HashMap<>();
    Map<String, Long> allocByClass = new HashMap<>();
    Map<String, Long> allocBySite = new HashMap<>();
    long samples = 0;
    long nativeSamples = 0;
    long allocTotal = 0;
    long gcCount = 0;
    long gcPauseNanos = 0;
    try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        String type = event.getEventType().getName();
        switch (type) {
          case "jdk.ExecutionSample" -> {
            List<RecordedFrame> frames = frames(event.getStackTrace());
            if (frames.isEmpty()) {
              continue;
            }
            samples++;
            self.merge(name(frames.get(0)), 1L, Long::sum);
            selfByClass.merge(className(frames.get(0)), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            String first = null;
            for (int i = 0; i < frames.size(); i++) {
              String name = name(frames.get(i));
              if (name.startsWith(PROJECT)) {
                if (first == null) {
                  first = name;
                }
                if (seen.add(name)) {
                  projectInclusive.merge(name, 1L, Long::sum);
                  String callee = i == 0 ? "(self)" : name(frames.get(i - 1));
                  callees.computeIfAbsent(name, k -> new HashMap<>()).merge(callee, 1L, Long::sum);
                }
              }
            }
            firstProjectFrame.merge(first == null ? "(no project frame)" : first, 1L, Long::sum);
          }
          case "jdk.NativeMethodSample" -> {
            List<RecordedFrame> frames = frames(event.getStackTrace());
            if (!frames.isEmpty()) {
              nativeSamples++;
              nativeTop.merge(name(frames.get(0)), 1L, Long::sum);
            }
          }
          case "jdk.ObjectAllocationSample" -> {
            long weight = event.getLong("weight");
            RecordedClass objectClass = event.getClass("objectClass");
            allocTotal += weight;
            allocByClass.merge(objectClass == null ? "?" : objectClass.getName(), weight, Long::sum);
            allocBySite.merge(site(frames(event.getStackTrace())), weight, Long::sum);
          }
          case "jdk.GarbageCollection" -> {
            gcCount++;
            gcPauseNanos += event.getDuration("sumOfPauses").toNanos();
          }
          default -> { }
        }
      }
    }
    System.out.printf("CPU samples: %d; GCs: %d, %.1f ms paused in all%n", samples, gcCount, gcPauseNanos / 1e6);
    print("CPU, top frame (self)", self, samples, rows, false);
    print("CPU, top frame's class (self)", selfByClass, samples, rows, false);
    print("CPU, first lambda-proxy frame on the stack", firstProjectFrame, samples, rows, false);
    print("CPU, lambda-proxy methods (inclusive)", projectInclusive, samples, rows, false);
    projectInclusive.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(3)
        .forEach(e -> print("CPU under " + e.getKey() + " (" + e.getValue() + " samples), by callee",
            callees.get(e.getKey()), e.getValue(), 8, false));
    System.out.printf("%nThreads in native code: %d samples (waiting in epoll included)%n", nativeSamples);
    print("Native, top frame", nativeTop, nativeSamples, 8, false);
    System.out.printf("%nAllocation samples: %.1f MB estimated in all%n", allocTotal / 1048576.0);
    print("Allocation by class", allocByClass, allocTotal, rows, true);
    print("Allocation by site (first frame outside java.*, jdk.*, sun.*)", allocBySite, allocTotal, rows, true);
  }

  private static List<RecordedFrame> frames(RecordedStackTrace stack) {
    return stack == null ? List.of() : stack.getFrames();
  }

  private static String name(RecordedFrame frame) {
    if (frame.getMethod() == null) {
      return "?";
    }
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static String className(RecordedFrame frame) {
    return frame.getMethod() == null ? "?" : frame.getMethod().getType().getName();
  }

  private static String site(List<RecordedFrame> frames) {
    String top = frames.isEmpty() ? "?" : name(frames.get(0));
    for (RecordedFrame frame : frames) {
      String name = name(frame);
      if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
        return name.equals(top) ? name : name + " (via " + top + ")";
      }
    }
    return top;
  }

  private static void print(String title, Map<String, Long> counts, long total, int rows, boolean bytes) {
    System.out.printf("%n%s%n", title);
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(rows)
        .forEach(e -> System.out.printf("  %5.1f%%  %s%s%n",
            total == 0 ? 0.0 : 100.0 * e.getValue() / total,
            bytes ? String.format("%8.1f MB  ", e.getValue() / 1048576.0) : "",
            e.getKey()));
  }
}
