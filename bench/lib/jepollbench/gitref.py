"""The jepoll jar of another git ref, built in a temporary `git worktree` and cached by commit id.

    jar, info = ref_jar("HEAD~3", cache="bench/work/refs", log="bench/work/logs/ref-HEAD~3.log")

The ref is resolved to a commit; when CACHE/<commit>/jepoll.jar exists it is used as is. Otherwise the
commit is checked out (detached) into CACHE/src-<commit>, built there the way that tree's ./jepoll
builds itself (its own ./mvnw -q -DskipTests -Dmaven.test.skip=true package, or mvn where it has no
mvnw), its cli/target/jepoll.jar is copied to CACHE/<commit>/jepoll.jar, and the worktree is removed
(also when the build fails). A worktree left by a killed run is removed before the next build.
"""
import glob
import os
import re
import shutil
import subprocess

from . import ROOT


def git(*args, root=ROOT, check=True):
    p = subprocess.run(["git", "-C", root, *args], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {p.stderr.strip()}")
    return p.stdout.strip()


def resolve(ref, root=ROOT):
    """(full commit id, short id, subject) of a ref; raises RuntimeError when git does not know it."""
    sha = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", root=root, check=False)
    if not re.fullmatch(r"[0-9a-f]{40}", sha or ""):
        raise RuntimeError(f"git does not know the ref '{ref}'")
    return sha, git("rev-parse", "--short", sha, root=root), git("log", "-1", "--format=%s", sha, root=root)


def label(ref):
    """A name for the ref in server names and file names: HEAD~3 stays HEAD~3, origin/main becomes origin_main."""
    return re.sub(r"[^A-Za-z0-9._~^-]", "_", ref)


def _remove_worktree(path, root):
    if os.path.exists(path):
        git("worktree", "remove", "--force", path, root=root, check=False)
        shutil.rmtree(path, ignore_errors=True)
    git("worktree", "prune", root=root, check=False)


def _find_jar(tree):
    jar = os.path.join(tree, "cli", "target", "jepoll.jar")
    if os.path.isfile(jar):
        return jar
    # an older tree may name its jar after the version: the largest runnable one
    jars = [j for j in glob.glob(os.path.join(tree, "cli", "target", "*.jar"))
            if not os.path.basename(j).startswith("original-") and not j.endswith(("-sources.jar", "-javadoc.jar"))]
    return max(jars, key=os.path.getsize) if jars else None


def ref_jar(ref, cache, log, java_home=None, root=ROOT, say=print):
    """Path of the cached jar of `ref`, and {ref, commit, short, subject, cached}."""
    sha, short, subject = resolve(ref, root)
    info = {"ref": ref, "commit": sha, "short": short, "subject": subject, "cached": True}
    jar = os.path.join(cache, sha, "jepoll.jar")
    if os.path.isfile(jar):
        return jar, info
    info["cached"] = False
    os.makedirs(cache, exist_ok=True)
    tree = os.path.join(cache, f"src-{sha}")
    _remove_worktree(tree, root)
    say(f"building {ref} ({short} {subject}) in a temporary worktree; log: {log}")
    env = dict(os.environ)
    if java_home:
        env["JAVA_HOME"] = java_home
        env["PATH"] = os.path.join(java_home, "bin") + os.pathsep + env.get("PATH", "")
    try:
        git("worktree", "add", "--detach", "--force", tree, sha, root=root)
        mvnw = os.path.join(tree, "mvnw")
        build = ([mvnw] if os.access(mvnw, os.X_OK) else ["mvn", "-B"]) + \
            ["-q", "-DskipTests", "-Dmaven.test.skip=true", "package"]
        with open(log, "w") as f:
            f.write("$ " + " ".join(build) + f"   (in {tree})\n")
            f.flush()
            p = subprocess.run(build, cwd=tree, stdout=f, stderr=subprocess.STDOUT, env=env)
        if p.returncode != 0:
            raise RuntimeError(f"the build of {ref} ({short}) failed (exit {p.returncode}); see {log}")
        built = _find_jar(tree)
        if not built:
            raise RuntimeError(f"the build of {ref} ({short}) made no cli/target/*.jar; see {log}")
        os.makedirs(os.path.dirname(jar), exist_ok=True)
        shutil.copyfile(built, jar + ".part")
        os.replace(jar + ".part", jar)  # a jar in the cache is always a whole one
        with open(os.path.join(cache, sha, "ref.txt"), "w") as f:
            f.write(f"{ref}\n{sha}\n{subject}\n")
    finally:
        _remove_worktree(tree, root)
    return jar, info
