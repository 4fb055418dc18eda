# -*- Python -*-
import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "CW"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".c"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.cw_obj_root, "test")

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

python = config.python_executable or shutil.which("python3")
config.substitutions.append(("%python", python))
config.substitutions.append(("%cw_src", config.cw_src_root))
config.substitutions.append(("%cw_lib", config.cw_lib_dir))
config.substitutions.append(
    ("%cw_plugin", os.path.join(config.cw_lib_dir, "CWPlugin.so")))
config.substitutions.append(
    ("%mlir_opt", os.path.join(config.llvm_tools_dir, "mlir-opt")))

tool_dirs = [config.cw_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("cw-opt", unresolved="ignore"),
    ToolSubst("cw-compile", unresolved="ignore"),
    ToolSubst("cw-import", unresolved="ignore"),
    ToolSubst("cw-run", unresolved="ignore"),
    ToolSubst("mlir-translate", unresolved="ignore"),
    ToolSubst("mlir-runner", unresolved="ignore"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.cw_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# Features for optional parts of the suite.
for tool in ["cw-compile", "cw-import"]:
    if os.path.exists(os.path.join(config.cw_tools_dir, tool)):
        config.available_features.add(tool)
try:
    import onnx  # noqa: F401
    config.available_features.add("python-onnx")
except ImportError:
    pass
