"""Grade de uma aba do editor de equivalências (ipydatagrid): formatação, filtro, seleção e edição de células."""
from __future__ import annotations

import ipywidgets as w
import pandas as pd
from ipydatagrid import DataGrid, TextRenderer, VegaExpr

from .. import equivalencias as eq
from ..equivalencias.arquivos import data_hora_br
from ..equivalencias.cobertura import COLUNAS_VISAO
from ..erros import ErroSiops
from ..formatos import numero_br

COLUNAS = {"estado": "estado", "codigo_local": "código local", "descricao": "descrição", "valor": "valor (R$)",
           "destino": "destino", "destino_descricao": "destino no catálogo", "motivo": "motivo", "pontuacao": "pontos",
           "origem": "origem", "quem": "quem", "quando": "quando"}
COLUNA_EDITAVEL = "destino"
LARGURAS = {"estado": 90, "código local": 150, "descrição": 230, "valor (R$)": 120, "destino": 110,
            "destino no catálogo": 300, "motivo": 380, "pontos": 55, "origem": 90, "quem": 110, "quando": 120}
_COR = ("cell.metadata.data['estado'] == 'sugerida' ? 'green' : "
        "(cell.metadata.data['estado'] == 'pendente' || cell.metadata.data['estado'] == 'inválida' ? '#b00020' : "
        "(cell.metadata.data['estado'] == 'rejeitada' ? 'gray' : 'black'))")


def _formatar(vis: pd.DataFrame) -> pd.DataFrame:
    """Acrescenta à visão da biblioteca as colunas já formatadas para a grade (padrão brasileiro)."""
    df = vis.copy()
    df["_estado"] = df["estado"].where(~((df["estado"] == "confirmada") & ~df["valido"].astype(bool)), "inválida")
    df["_valor"] = df["valor"].map(numero_br)
    df["_quando"] = df["quando"].map(data_hora_br)
    return df


_ORIGEM = {"estado": "_estado", "valor": "_valor", "quando": "_quando"}


def _para_grade(vis: pd.DataFrame) -> pd.DataFrame:
    """Visão formatada → tabela da grade (só texto, com os títulos das colunas)."""
    cols = [_ORIGEM.get(c, c) for c in COLUNAS]
    out = vis[cols].astype(object)
    out.columns = list(COLUNAS.values())
    return out.reset_index(drop=True)


class GradeAba:
    """Uma aba do editor: a visão completa, o filtro aplicado e a grade."""

    def __init__(self, editor, nome: str):
        self.editor = editor
        self.nome = nome
        self.desatualizada = True
        self.filtro_aplicado = None
        self._visao = _formatar(pd.DataFrame(columns=COLUNAS_VISAO))
        self._visiveis = self._visao
        self.grade = DataGrid(_para_grade(self._visiveis), selection_mode="row", editable=True,
                              header_visibility="column", base_row_size=24, column_widths=LARGURAS,
                              default_renderer=TextRenderer(text_color=VegaExpr(_COR)),
                              layout=w.Layout(height="440px", width="100%"))
        self.grade.on_cell_change(self._celula_mudou)
        self._ocupado = False

    # a aba é lida na primeira vez que alguém a usa (abrir o editor não lê todas as abas)
    @property
    def visao(self) -> pd.DataFrame:
        if self.desatualizada:
            self.carregar()
        return self._visao

    @visao.setter
    def visao(self, valor: pd.DataFrame) -> None:
        self._visao = valor

    @property
    def visiveis(self) -> pd.DataFrame:
        if self.desatualizada:
            self.carregar()
        return self._visiveis

    @visiveis.setter
    def visiveis(self, valor: pd.DataFrame) -> None:
        self._visiveis = valor

    # ------------------------------------------------------------------ dados
    def carregar(self) -> None:
        e = self.editor
        self._visao = _formatar(eq.visao(e.repo, self.nome, e.escopo, e.anterior))
        self.desatualizada = False
        self.filtrar()

    def atualizar_codigos(self, codigos, no_lugar: bool = False) -> None:
        """Recalcula só as linhas desses códigos (depois de gravar).

        ``no_lugar``: a linha muda na própria posição da grade (sem reenviar a tabela inteira), mesmo que
        já não combine com o filtro; senão o filtro é reaplicado.
        """
        e = self.editor
        codigos = set(codigos)
        novas = _formatar(eq.visao(e.repo, self.nome, e.escopo, e.anterior, codigos=codigos)).set_index("codigo_local")
        pos = self.visao.index[self.visao["codigo_local"].isin(codigos)]
        if no_lugar and set(novas.index) == codigos and len(pos) == len(codigos):
            for i in pos:
                c = self.visao.at[i, "codigo_local"]
                for col in novas.columns:
                    self.visao.at[i, col] = novas.at[c, col]
            self._atualizar_visiveis(codigos)
            return
        resto = self.visao[~self.visao["codigo_local"].isin(codigos)]
        self.visao = pd.concat([resto, novas.reset_index()], ignore_index=True).sort_values(
            ["pendente", "valor", "codigo_local"], ascending=[False, False, True], kind="stable").reset_index(drop=True)
        self.filtrar()

    def _atualizar_visiveis(self, codigos: set) -> None:
        """Troca, célula a célula, as linhas visíveis desses códigos pelo que está em ``self.visao``."""
        fonte = self.visao.set_index("codigo_local")
        grade = _para_grade(fonte.loc[[c for c in self.visiveis["codigo_local"] if c in codigos]].reset_index())
        self._ocupado = True
        try:
            for j, i in enumerate(self.visiveis.index[self.visiveis["codigo_local"].isin(codigos)]):
                c = self.visiveis.at[i, "codigo_local"]
                for col in self.visiveis.columns:
                    self.visiveis.at[i, col] = fonte.at[c, col] if col != "codigo_local" else c
                for col in grade.columns:
                    if self.grade.get_cell_value_by_index(col, i) != grade.at[j, col]:
                        self.grade.set_cell_value_by_index(col, i, grade.at[j, col])
        finally:
            self._ocupado = False

    def filtrar(self) -> None:
        v, f = self.visao, self.editor.filtro.value
        if f == "pendentes":
            v = v[v["pendente"].astype(bool)]
        elif f == "sugeridas":
            v = v[v["estado"] == "sugerida"]
        elif f == "confirmadas":
            v = v[v["estado"].isin(["confirmada", "identidade"])]
        elif f == "sem_valor":
            v = v[~v["com_valor"].astype(bool)]
        self.visiveis = v.reset_index(drop=True)
        self.filtro_aplicado = f
        self._ocupado = True
        try:
            self.grade.data = _para_grade(self.visiveis)
            self.grade.selections = []
        finally:
            self._ocupado = False

    # ------------------------------------------------------------------ seleção e edição
    def linhas_selecionadas(self) -> list[int]:
        visiveis = list(self.grade._visible_rows or [])
        linhas = set()
        for s in self.grade.selections:
            for r in range(min(s["r1"], s["r2"]), max(s["r1"], s["r2"]) + 1):
                linhas.add(visiveis[r] if visiveis and r < len(visiveis) else r)
        return sorted(x for x in linhas if 0 <= x < len(self.visiveis))

    def selecionar(self, codigos) -> None:
        """Seleciona as linhas desses códigos (como um clique com Ctrl na grade)."""
        n = len(COLUNAS) - 1
        self.grade.selections = [{"r1": i, "c1": 0, "r2": i, "c2": n} for i, c in enumerate(self.visiveis["codigo_local"])
                                 if c in set(codigos)]

    def linha_de(self, codigo: str) -> int:
        achados = self.visiveis.index[self.visiveis["codigo_local"] == codigo]
        if not len(achados):
            raise ErroSiops(f"o código '{codigo}' não está na grade ({self.nome}, filtro {self.editor.filtro.value})")
        return int(achados[0])

    def _celula_mudou(self, evento: dict) -> None:
        if self._ocupado:
            return
        linha, coluna, valor = int(evento["row"]), evento["column"], evento["value"]
        if linha >= len(self.visiveis):
            return
        codigo = self.visiveis.at[linha, "codigo_local"]
        if coluna != COLUNA_EDITAVEL:
            self.editor.avisar(f"Só a coluna 'destino' pode ser editada ('{coluna}' voltou ao valor gravado).", erro=True)
            self.atualizar_codigos([codigo], no_lugar=True)
            return
        self.editor.gravar_destino(self.nome, codigo, "" if valor is None else str(valor))
