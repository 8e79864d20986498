"""The jepoll command of a tree: ./jepoll (builds its jar when sources changed, then execs java), or the
jar of another git ref run the way that launcher runs it: java $JEPOLL_JAVA_OPTS -jar jepoll.jar ARGS."""
import os
import subprocess

from . import ROOT


class Jepoll:
    def __init__(self, launcher=None, jar=None, java=None, java_opts=None, label=""):
        """Either launcher (a ./jepoll script) or jar + java (that ref's jar, run by this JDK's java)."""
        self.launcher, self.jar, self.java = launcher, jar, java
        self.java_opts = java_opts
        self.label = label
        self._help = None

    @classmethod
    def working_tree(cls, root=ROOT, java_opts=None):
        return cls(launcher=os.path.join(root, "jepoll"), java_opts=java_opts, label="working tree")

    def env(self):
        env = dict(os.environ)
        if self.java_opts is not None:
            env["JEPOLL_JAVA_OPTS"] = self.java_opts
        return env

    def command(self, *args):
        """The argv that runs this jepoll with args (the process execs down to java: its PID is the JVM's)."""
        if self.launcher:
            return [self.launcher, *args]
        opts = (self.java_opts if self.java_opts is not None else os.environ.get("JEPOLL_JAVA_OPTS", "")).split()
        return [self.java, *opts, "-jar", self.jar, *args]

    def run(self, *args, timeout=900):
        return subprocess.run(self.command(*args), capture_output=True, text=True, env=self.env(), timeout=timeout)

    def build(self):
        """./jepoll builds its jar on first use: do it now, outside any measurement. Returns the version line."""
        p = self.run("--version")
        if p.returncode != 0:
            raise RuntimeError(f"jepoll ({self.label}) does not build or run:\n{p.stdout}{p.stderr}")
        return p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""

    def help(self):
        if self._help is None:
            p = self.run("--help")
            self._help = p.stdout + p.stderr
        return self._help

    def has_flag(self, flag):
        return flag in self.help()

    def accepts(self, *args):
        """True when the command takes these flags: it checks every flag before --version exits (a refused one is
        exit code 2)."""
        return self.run(*args, "--version", timeout=120).returncode == 0
