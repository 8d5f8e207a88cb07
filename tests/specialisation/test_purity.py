"""The engine is pure: importing and running it loads no Django and no other part of xietong."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import pandas as pd
from xietong.specialisation import specialise
specialise(pd.DataFrame({"a": [3.0, 1.0, 2.0], "b": [1.0, 3.0, 2.0], "c": [0.0, 1.0, 4.0]}))
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "django" or m.startswith("xietong."))
print("\\n".join(loaded))
"""


def test_importing_and_running_the_engine_loads_no_django_and_no_other_xietong_module():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = result.stdout.split()
    assert loaded
    assert all(name.startswith("xietong.specialisation") for name in loaded), loaded
