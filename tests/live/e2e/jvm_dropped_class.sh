#!/bin/sh
# Code dropped and loaded by a runtime that is not a script runner (issue
# 13 §1): (a) a Java program writes a compiled class to a /tmp directory
# and loads it with a URLClassLoader: backdoor.dropped_payload, high (as a
# Python module written to /tmp and imported); (b) the source launcher
# (`java Hello.java`, compiled in memory) and (c) a jar run from the
# submission, which writes its own temp data and reads it back, stay PASS
# with nothing above info (the JVM's /tmp/hsperfdata_* files are data).
. "$(dirname "$0")/lib.sh"
{ command -v java && command -v javac && command -v jar; } >/dev/null 2>&1 ||
	{ echo "skip: no java/javac/jar (default-jdk-headless) on this host"; exit 77; }
DUR=${DUR_JVM:-30}
above_info() {
	json '"\n".join(f["rule"]+" "+f["severity"]+" "+f["message"] for c in r["categories"] for f in c["findings"] if f["severity"]!="info")'
}

# The payload's bytes travel inside the dropper's source, as base64.
mkdir -p "$tmp/build"
cat >"$tmp/build/Payload.java" <<'J'
public class Payload implements Runnable {
    public void run() { System.out.println("payload ran"); }
}
J
javac -d "$tmp/build" "$tmp/build/Payload.java" || fail "javac failed"
b64=$(base64 -w0 "$tmp/build/Payload.class")
cat >"$tmp/work/Dropper.java" <<J
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.Base64;

public class Dropper {
    public static void main(String[] args) throws Exception {
        File dir = Files.createTempDirectory("plug").toFile();
        Files.write(new File(dir, "Payload.class").toPath(), Base64.getDecoder().decode("$b64"));
        try (URLClassLoader l = new URLClassLoader(new URL[] {dir.toURI().toURL()})) {
            ((Runnable) l.loadClass("Payload").getDeclaredConstructor().newInstance()).run();
        }
    }
}
J
chmod -R a+rX "$tmp/work"
# (a) MARK in argv: nothing of the target may survive.
run_audit -- java Dropper.java "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "payload ran"
json '"\n".join(f["severity"]+" "+f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="backdoor.dropped_payload")' >"$tmp/drop.txt"
grep -q "^high dropped payload: java loads compiled code it wrote to /tmp/plug[0-9]*/Payload.class" "$tmp/drop.txt" ||
	fail "no high dropped_payload for the class loaded from /tmp: $(above_info)"
[ "$RC" -eq 1 ] || fail "the dropped class PASSes (exit $RC)"

# (b) the source launcher compiles in memory: nothing above info.
rm -f "$tmp/work/Dropper.java"
cat >"$tmp/work/Hello.java" <<'J'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
J
chmod a+r "$tmp/work/Hello.java"
rm -rf "$OUT"
run_audit -- java Hello.java "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "hello"
[ -z "$(above_info)" ] || fail "java Hello.java: $(above_info)"
[ "$RC" -eq 0 ] || fail "java Hello.java: exit $RC"

# (c) a jar from the submission that writes and reads back its own temp data.
cat >"$tmp/build/App.java" <<'J'
import java.io.File;
import java.nio.file.Files;
public class App {
    public static void main(String[] a) throws Exception {
        File f = File.createTempFile("scores", ".txt");
        Files.writeString(f.toPath(), "42\n");
        System.out.println("read back " + Files.readString(f.toPath()).trim());
        f.delete();
    }
}
J
javac -d "$tmp/build" "$tmp/build/App.java" || fail "javac App failed"
(cd "$tmp/build" && jar --create --file "$tmp/work/app.jar" --main-class App App.class) || fail "jar failed"
chmod a+r "$tmp/work/app.jar"
rm -f "$tmp/work/Hello.java"
rm -rf "$OUT"
run_audit -- java -jar app.jar "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "read back 42"
[ -z "$(above_info)" ] || fail "java -jar app.jar: $(above_info)"
[ "$RC" -eq 0 ] || fail "java -jar app.jar: exit $RC"
pass "a class dropped in /tmp and loaded is high; the source launcher and a workdir jar stay clean"
