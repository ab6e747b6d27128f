"""Python fixes (libcst): safe ones keep the meaning, unsafe ones migrate v0 code; anything uncertain is left
alone with a note."""

from __future__ import annotations

import ast
import textwrap

from oai_lint.fix.model import SAFE, UNSAFE, Target
from oai_lint.fix.python_fix import fix_python
from oai_lint.fix.replacements import live_replacement
from tests.support.keygen import make_key


def fix(code: str, targets: list[tuple[str, int]], unsafe: bool = False) -> tuple[str, list, list[str]]:  # type: ignore[type-arg]
    src = textwrap.dedent(code)
    new, fixed, notes = fix_python(src, [Target(r, line, 1) for r, line in targets], unsafe)
    ast.parse(new)
    return new, fixed, notes


def test_safe_fixes_rename_v0_exceptions_and_api_base_only() -> None:
    new, fixed, _ = fix("""\
        import openai
        from openai.error import RateLimitError, InvalidRequestError as Bad

        openai.api_base = "https://gateway.example/v1"
        try:
            openai.ChatCompletion.create(model="gpt-4o-mini", messages=[])
        except (RateLimitError, Bad, openai.error.Timeout, openai.InvalidRequestError):
            pass
        """, [("OAI401", 2), ("OAI401", 6), ("OAI401", 7), ("OAI402", 4)])
    assert "from openai import RateLimitError, BadRequestError as Bad" in new
    assert 'openai.base_url = "https://gateway.example/v1"' in new
    assert "openai.APITimeoutError" in new and "openai.BadRequestError" in new
    assert "openai.ChatCompletion.create" in new  # the call needs --unsafe-fixes
    assert {f.applicability for f in fixed} == {SAFE}


def test_renamed_exception_keeps_its_local_name() -> None:
    new, _, _ = fix("from openai.error import InvalidRequestError\n", [("OAI401", 1)])
    assert new == "from openai import BadRequestError as InvalidRequestError\n"


def test_exception_without_a_certain_equivalent_is_left_alone() -> None:
    new, fixed, notes = fix("from openai.error import TryAgain\n", [("OAI401", 1)])
    assert new == "from openai.error import TryAgain\n" and not fixed and notes


def test_unsafe_client_migration_with_dict_access_and_streaming() -> None:
    new, fixed, notes = fix("""\
        import os
        import openai

        openai.api_key = os.getenv("MY_KEY")
        openai.organization = "org-abc"


        def ask(q):
            r = openai.ChatCompletion.create(engine="gpt-4o-mini", messages=[{"role": "user", "content": q}])
            msg = r["choices"][0]["message"]
            return msg["content"], r["usage"]["total_tokens"], r.get("model")


        def stream(q):
            for chunk in openai.ChatCompletion.create(model="gpt-4o-mini", messages=[], stream=True):
                delta = chunk["choices"][0]["delta"]
                if "content" in delta:
                    yield delta.get("content", "")


        def vectors(texts):
            return [d["embedding"] for d in openai.Embedding.create(input=texts, model="m")["data"]]
        """, [("OAI401", 9), ("OAI401", 15), ("OAI401", 22)], unsafe=True)
    assert "client = openai.OpenAI(api_key=openai.api_key, organization=openai.organization)" in new
    assert 'client.chat.completions.create(model="gpt-4o-mini"' in new
    assert "msg = r.choices[0].message" in new
    assert "return msg.content, r.usage.total_tokens, r.model" in new
    assert "delta = chunk.choices[0].delta" in new
    assert "if delta.content is not None:" in new
    assert 'yield (delta.content or "")' in new
    assert '[d.embedding for d in client.embeddings.create(input=texts, model="m").data]' in new
    assert all(f.applicability == UNSAFE for f in fixed) and len(fixed) == 3 and not notes


def test_async_calls_get_an_async_client() -> None:
    new, _, _ = fix("""\
        import openai


        async def f():
            r = await openai.ChatCompletion.acreate(model="m", messages=[])
            return r["choices"][0]["message"]["content"]
        """, [("OAI401", 5)], unsafe=True)
    assert "async_client = openai.AsyncOpenAI()" in new
    assert "await async_client.chat.completions.create(" in new
    assert "return r.choices[0].message.content" in new
    assert "client = openai.OpenAI()" not in new.replace("async_client", "")


def test_the_client_comes_after_the_module_set_up() -> None:
    new, _, _ = fix("""\
        import openai
        from dotenv import load_dotenv

        load_dotenv()


        def f():
            return openai.Completion.create(model="m", prompt="p")
        """, [("OAI401", 8)], unsafe=True)
    assert new.index("load_dotenv()\n") < new.index("client = openai.OpenAI()") < new.index("def f")


def test_settings_inside_a_function_leave_the_calls_alone() -> None:
    code = """\
        import openai


        def main(key):
            openai.api_key = key
            return openai.Completion.create(model="m", prompt="p")
        """
    new, fixed, notes = fix(code, [("OAI401", 6)], unsafe=True)
    assert new == textwrap.dedent(code) and not fixed
    assert any("inside a function" in n for n in notes)


def test_per_call_settings_leave_the_call_alone() -> None:
    code = 'import openai\nopenai.Completion.create(model="m", prompt="p", api_key=k)\n'
    new, fixed, notes = fix(code, [("OAI401", 2)], unsafe=True)
    assert new == code and not fixed and "api_key" in notes[0]


def test_from_import_of_a_v0_resource_becomes_the_client_import() -> None:
    new, _, _ = fix("""\
        from openai import Embedding

        vectors = Embedding.create(input=["a"], model="m")["data"]
        """, [("OAI401", 3)], unsafe=True)
    assert new.startswith("from openai import OpenAI\n")
    assert "client = OpenAI()" in new and 'client.embeddings.create(input=["a"], model="m").data' in new


def test_a_taken_name_is_not_reused_for_the_client() -> None:
    new, _, _ = fix("""\
        import openai
        client = "http"
        r = openai.Completion.create(model="m", prompt="p")
        """, [("OAI401", 3)], unsafe=True)
    assert "openai_client = openai.OpenAI()" in new and 'client = "http"' in new


def test_audio_positional_arguments_become_keywords() -> None:
    new, _, _ = fix("""\
        import openai

        def t(f):
            return openai.Audio.transcribe("whisper-1", f)["text"]
        """, [("OAI401", 4)], unsafe=True)
    assert 'client.audio.transcriptions.create(model="whisper-1", file=f).text' in new


def test_shut_down_model_is_replaced_only_with_unsafe_fixes() -> None:
    code = 'import openai\nopenai.Completion.create(engine="text-davinci-003", prompt="p")\n'
    assert fix(code, [("OAI405", 2)])[0] == code
    new, fixed, _ = fix(code, [("OAI405", 2)], unsafe=True)
    repl = live_replacement("text-davinci-003")  # oai-lint: ignore[OAI405] a shut-down model on purpose
    assert repl and f'"{repl}"' in new and "outputs differ" in fixed[0].description


def test_hardcoded_key_is_read_from_the_environment_and_stays_a_finding() -> None:
    key = make_key("proj56")
    new, fixed, notes = fix(f'"""Doc."""\nimport openai\nopenai.api_key = "{key}"\n', [("OAI101", 3)], unsafe=True)
    assert key not in new
    assert new == '"""Doc."""\nimport os\nimport openai\nopenai.api_key = os.environ["OPENAI_API_KEY"]\n'
    assert fixed[0].stays and "rotate" in fixed[0].description
    assert key not in " ".join(notes + [f.description for f in fixed])


def test_max_retries_zero_is_removed() -> None:
    new, fixed, _ = fix("from openai import OpenAI\nc = OpenAI(timeout=5, max_retries=0)\n", [("OAI301", 2)],
                        unsafe=True)
    assert "c = OpenAI(timeout=5)" in new and fixed[0].rule_id == "OAI301"


def test_comments_and_formatting_survive() -> None:
    new, _, _ = fix("""\
        import openai  # the SDK

        # ask the model
        resp = openai.ChatCompletion.create(
            model="gpt-4o-mini",   # keep this comment
            messages=[],
        )
        print(resp["choices"][0]["message"]["content"])  # the answer
        """, [("OAI401", 4)], unsafe=True)
    assert "# keep this comment" in new and "# the answer" in new and "# ask the model" in new
    assert 'model="gpt-4o-mini",   # keep' in new


def test_a_fixed_file_has_nothing_left_to_fix() -> None:
    code = """\
        import openai
        from openai.error import RateLimitError
        r = openai.Completion.create(engine="text-davinci-003", prompt="p")
        print(r["choices"][0]["text"])
        """
    new, _, _ = fix(code, [("OAI401", 2), ("OAI401", 3), ("OAI405", 3)], unsafe=True)
    again, fixed, _ = fix(new, [(r, line) for r in ("OAI401", "OAI405") for line in range(1, 8)], unsafe=True)
    assert again == new and not fixed


def test_responses_followed_through_functions_gather_and_json() -> None:
    new, _, notes = fix("""\
        import asyncio
        import json
        import openai


        def get(prompt):
            response = openai.ChatCompletion.create(model="m", messages=[{"role": "user", "content": prompt}])
            return response


        async def many(prompts):
            tasks = [openai.ChatCompletion.acreate(model="m", messages=[]) for p in prompts]
            return [r["choices"][0]["message"]["content"] for r in await asyncio.gather(*tasks)]


        r = get("x")
        print(r["choices"][0]["message"]["content"], json.dumps(r, indent=2))
        print(openai.Moderation.create(input="x")["results"][0]["categories"]["self-harm"])
        """, [("OAI401", 7), ("OAI401", 12), ("OAI401", 18)], unsafe=True)
    assert "print(r.choices[0].message.content, json.dumps(r.model_dump(), indent=2))" in new
    assert 'return [r.choices[0].message.content for r in await asyncio.gather(*tasks)]' in new
    assert 'client.moderations.create(input="x").results[0].categories.self_harm' in new
    assert not notes


def test_existing_client_import_is_used() -> None:
    new, _, _ = fix("""\
        from openai import OpenAI, ChatCompletion
        r = ChatCompletion.create(model="m", messages=[])
        """, [("OAI401", 2)], unsafe=True)
    assert new.count("import") == 1 and "client = OpenAI()" in new


def test_http_status_of_a_caught_v0_error() -> None:
    new, _, _ = fix("""\
        import openai
        try:
            openai.Model.list()
        except openai.error.RateLimitError as e:
            print(e.http_status)
        """, [("OAI401", 3), ("OAI401", 4)], unsafe=True)
    assert 'print(getattr(e, "status_code", None))' in new and "except openai.RateLimitError as e:" in new


def test_a_name_bound_to_something_else_too_is_not_rewritten() -> None:
    new, _, _ = fix("""\
        import openai
        data = {"choices": []}
        if True:
            data = openai.Completion.create(model="m", prompt="p")
        print(data["choices"])
        """, [("OAI401", 4)], unsafe=True)
    assert 'print(data["choices"])' in new and "client.completions.create(" in new


def test_v0_names_no_longer_used_leave_the_import() -> None:
    new, _, _ = fix("""\
        import openai
        from openai import ChatCompletion
        from openai import Embedding, OpenAIError

        r = ChatCompletion.create(model="m", messages=[])
        e = Embedding.create(input="x", model="m")
        """, [("OAI401", 5), ("OAI401", 6)], unsafe=True)
    assert "ChatCompletion" not in new and "Embedding" not in new.replace("embeddings", "")
    assert "from openai import OpenAIError\n" in new


def test_get_with_an_empty_default() -> None:
    new, _, _ = fix("""\
        import openai
        r = openai.Completion.create(model="m", prompt="p")
        print(r.get("choices", []), r["usage"].get("total_tokens", 0), r.get("x", 5))
        """, [("OAI401", 2)], unsafe=True)
    assert 'print((r.choices or []), (r.usage.total_tokens or 0), r.get("x", 5))' in new


def test_elements_of_enumerate_are_followed() -> None:
    new, _, _ = fix("""\
        import openai
        completion = openai.Completion.create(model="m", prompt="p", n=2)
        for i, choice in enumerate(completion.choices):
            print(i, choice["text"])
        """, [("OAI401", 2)], unsafe=True)
    assert "print(i, choice.text)" in new
