"""Editor de equivalências aberto pelo aplicativo: abre lendo só a aba da vez e o filtro vale para todas as abas."""
import pytest

from siops_lib import exemplo
from siops_lib.app import Aplicativo


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    raiz = tmp_path_factory.mktemp("app_editor")
    exemplo.gerar_tudo(raiz)                       # sem confirmar: há pendências em várias abas
    return Aplicativo(raiz / "layout_proprio", saida=raiz / "saida")


def test_filtro_pendentes_preservado_ao_trocar_de_aba(app):
    app.abrir_editor()
    editor = app.editor
    assert app.area_editor.children == (editor.widget,)
    abas = list(editor.abas.values())
    assert len(abas) > 1 and not abas[0].desatualizada and all(a.desatualizada for a in abas[1:])
    editor.filtro.value = "pendentes"
    for i in range(len(abas)):
        editor.tab.selected_index = i
        a = editor.aba_atual
        assert a.filtro_aplicado == "pendentes"
        assert a.visiveis["pendente"].astype(bool).all()
        assert len(a.grade.data) == len(a.visiveis)
    editor.tab.selected_index = 0
    assert editor.aba_atual.filtro_aplicado == "pendentes"
